"""Chain layer: the web3 connection and failover over several nodes, the one raw JSON-RPC
client (``rpc``), log decoding (``logs``), ABIs from build artifacts, EIP-712 types, error
decoding and the constants that mirror ``Constants.sol``."""
