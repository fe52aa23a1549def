"""Chain layer: web3 client, ABIs from build artifacts, EIP-712 types, error decoding."""
