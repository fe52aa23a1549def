// Typed-data documents for eth_signTypedData_v4, built from what GET /orders/domain says
// (domain, EIP712Domain, SwapOrder, CancelNonces, IncrementCounter and EIP-3009 types), so no
// address or type is hard-coded here: the backend's tongdui.chain.eip712 is their one home.
// uint256 values travel as decimal strings: a JavaScript number cannot hold them all.

function randomBytes(n) {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return bytes;
}
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** A random unordered nonce below 2^64 (the relayer stores nonces as strings). */
export function randomNonce() {
  return BigInt(`0x${hex(randomBytes(8))}`) >> 1n;
}
export const randomBytes32 = () => `0x${hex(randomBytes(32))}`;
export const unixNow = () => Math.floor(Date.now() / 1000);

// GET /orders/domain hands out each primary type alone, without EIP712Domain (what ethers
// takes); eth_signTypedData_v4 needs EIP712Domain (its domainTypes) beside it to hash the domain.
function typesWithDomain(info, types) {
  return { ...info.domainTypes, ...types };
}

/** The SwapOrder document (primaryType SwapOrder, the exchange's domain). */
export function swapOrderTypedData(info, order) {
  const types = typesWithDomain(info, { SwapOrder: info.types.SwapOrder });
  const message = {};
  for (const { name } of types.SwapOrder) message[name] = String(order[name] ?? 0);
  return { types, primaryType: "SwapOrder", domain: info.domain, message };
}

/** CancelNonces: voids nonce n (bit n & 255 of word n >> 8). */
export function cancelTypedData(info, owner, nonce, deadline) {
  const n = BigInt(nonce);
  const message = { owner, word: String(n >> 8n), mask: String(1n << (n & 255n)), deadline: String(deadline) };
  return {
    types: typesWithDomain(info, info.cancelTypes),
    primaryType: "CancelNonces",
    domain: info.domain,
    message,
  };
}

/** IncrementCounter: a signed cancel-all of every order signed under `counter`. */
export function cancelAllTypedData(info, owner, counter, deadline) {
  return {
    types: typesWithDomain(info, info.cancelAllTypes),
    primaryType: "IncrementCounter",
    domain: info.domain,
    message: { owner, counter: String(counter), deadline: String(deadline) },
  };
}

/** EIP-3009 TransferWithAuthorization under the points token's own domain. */
export function giftTypedData(info, token, transfer) {
  const giftTypes = info.giftTypes.TransferWithAuthorization;
  const message = {};
  for (const { name, type } of giftTypes) message[name] = type === "uint256" ? String(transfer[name]) : transfer[name];
  return {
    types: typesWithDomain(info, info.giftTypes),
    primaryType: "TransferWithAuthorization",
    domain: { name: token.name, version: "1", chainId: String(info.chainId), verifyingContract: token.token },
    message,
  };
}
