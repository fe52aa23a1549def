"""Cross-chain atomic swaps between two consortium chains (issue 17): a user's points on
chain A for a bridge member's points on chain B, locked in ``HashedTimelock`` on both sides
under one hashlock. ``coordinator`` drives each swap's persisted state machine; ``quotes`` is
the bridge member's signed cross rate; ``margin`` the rule that spaces the two timelocks."""
