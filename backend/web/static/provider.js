// The user's EIP-1193 wallet (MetaMask and the like, as window.ethereum).
// Only requests every such wallet answers: accounts, chain id, eth_signTypedData_v4.

export class WalletError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/**
 * The EIP-1193 provider a wallet extension puts on `window`.
 * @typedef {Object} Eip1193
 * @property {(args: { method: string, params?: unknown[] }) => Promise<any>} request
 * @property {(event: string, handler: (...args: any[]) => void) => void} [on]
 * @property {(event: string, handler: (...args: any[]) => void) => void} [removeListener]
 */

/** @returns {Eip1193 | undefined} */
const provider = () => /** @type {{ ethereum?: Eip1193 }} */ (/** @type {unknown} */ (window)).ethereum;

export const hasWallet = () => typeof provider()?.request === "function";

function mapError(error) {
  // EIP-1193: 4001 user rejected, 4100 unauthorized, 4900/4901 disconnected
  if (error?.code === 4001) return new WalletError("WALLET_REJECTED", error.message);
  if (error instanceof WalletError) return error;
  return new WalletError("WALLET_ERROR", error?.message || String(error));
}

async function request(method, params) {
  if (!hasWallet()) throw new WalletError("NO_WALLET", "no EIP-1193 wallet in this browser");
  try {
    return await provider().request(params ? { method, params } : { method });
  } catch (error) {
    throw mapError(error);
  }
}

export async function connect() {
  const accounts = await request("eth_requestAccounts");
  if (!accounts?.length) throw new WalletError("NO_ACCOUNT", "the wallet shared no account");
  return accounts[0];
}

export async function chainId() {
  return Number.parseInt(await request("eth_chainId"), 16);
}

export async function switchChain(id) {
  return request("wallet_switchEthereumChain", [{ chainId: `0x${id.toString(16)}` }]);
}

/** Signs a typed-data document; params are [address, JSON string] as MetaMask wants them. */
export async function signTypedData(address, typedData) {
  return request("eth_signTypedData_v4", [address, JSON.stringify(typedData)]);
}

export function onChange(handler) {
  if (!hasWallet() || typeof provider().on !== "function") return () => {};
  provider().on("accountsChanged", handler);
  provider().on("chainChanged", handler);
  return () => {
    provider().removeListener?.("accountsChanged", handler);
    provider().removeListener?.("chainChanged", handler);
  };
}
