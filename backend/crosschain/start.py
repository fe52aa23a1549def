"""``tongdui up --demo --cross-chain``: chain B, the bridge and the coordinator beside the
instance's own indexer, relayer and API (all on chain A's database)."""

from __future__ import annotations

from collections.abc import Callable

from ..bootstrap import Chain
from ..chain.anvil import Anvil
from ..core.config import Settings
from ..core.errors import ConfigurationError
from ..services import Services
from .coordinator import Coordinator
from .demo import prepare_cross_chain
from .service import CrossChain
from .wiring import bridge_key, build


def start_cross_chain(
    settings: Settings, chain: Chain, services: Services, echo: Callable[[str], None]
) -> tuple[Anvil, CrossChain, Coordinator]:
    if not settings.embedded:
        raise ConfigurationError(
            "--cross-chain starts its chain B as an embedded anvil: run it without --rpc, or "
            "on two `tongdui network` networks with `tongdui up --network --cross-chain "
            "--chain-b DIR`"
        )
    anvil, config = prepare_cross_chain(settings, chain.w3, chain.deployment, echo)
    try:
        crosschain, coordinator = build(
            config, services.w3, services.platform, services.sessions, bridge_key(True)
        )
    except BaseException:
        anvil.stop()
        raise
    echo(
        f"Chain B    {anvil.url} (chain id {config.chain_b.chain_id}); bridge "
        f"{crosschain.bridge.leg_a.address}; timelock margin {crosschain.bridge.policy.margin()} s"
    )
    return anvil, crosschain, coordinator
