"""Risk rules at intake (issue 18.6): configurable rules evaluated on every order and gift."""
