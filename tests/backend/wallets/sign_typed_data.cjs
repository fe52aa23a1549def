// Signs EIP-712 typed data the way real wallets do, for the backend tests: with MetaMask's own
// @metamask/eth-sig-util (signTypedData V4, what MetaMask runs for eth_signTypedData_v4) or with
// ethers v6 (Wallet.signTypedData). Reads one JSON request per line on stdin and writes one
// JSON answer per line: {signature, digest} or {error}.
//   request: {library: "metamask" | "ethers", privateKey: "0x…", typedData: {...}}, or with
//   typedDataJson: the JSON string a page passed to eth_signTypedData_v4, parsed here as
//   MetaMask parses it
// typedData is an eth_signTypedData_v4 document (types with EIP712Domain) for "metamask", and
// {domain, types (without EIP712Domain), message} for "ethers", as GET /orders/domain hands out.
"use strict";
const readline = require("node:readline");
const sigUtil = require("@metamask/eth-sig-util");
const { Wallet, TypedDataEncoder } = require("ethers");

async function sign({ library, privateKey, typedData: given, typedDataJson }) {
  const typedData = typedDataJson === undefined ? given : JSON.parse(typedDataJson);
  if (library === "metamask") {
    const key = Buffer.from(privateKey.replace(/^0x/, ""), "hex");
    const signature = sigUtil.signTypedData({ privateKey: key, data: typedData, version: sigUtil.SignTypedDataVersion.V4 });
    const digest = `0x${Buffer.from(sigUtil.TypedDataUtils.eip712Hash(typedData, sigUtil.SignTypedDataVersion.V4)).toString("hex")}`;
    return { signature, digest };
  }
  if (library === "ethers") {
    const { domain, types, message } = typedData;
    const signature = await new Wallet(privateKey).signTypedData(domain, types, message);
    return { signature, digest: TypedDataEncoder.hash(domain, types, message) };
  }
  throw new Error(`unknown library ${library}`);
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  try {
    process.stdout.write(`${JSON.stringify(await sign(JSON.parse(line)))}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error?.message || error) })}\n`);
  }
});
