"""One catalogue of the stable error codes the backend answers with (issue 14), as Morpho's
``ErrorsLib.sol`` or Uniswap v4's ``IPoolManager`` errors: each code once, with the HTTP status
a request refused with it answers and the English sentence a person reads.

Why a ``StrEnum``: a member *is* its string, so every JSON answer, stored rejection reason and
``code == "…"`` comparison stays byte-identical while raise sites name a member (a typo is an
``AttributeError``, not a new code). Clients switch on these strings, so a value never changes.

The codes come from three places, all held to this catalogue by tests:
``tests/backend/test_error_catalogue.py`` checks that every contract custom error (the name
without its contract prefix, in SCREAMING_SNAKE_CASE: ``chain/errors.py``) has a member, and
``tests/backend/test_web_messages.py`` that every member has Chinese and English page text in
``backend/web/static/i18n.js``.

``status`` is what a refusal with the code answers (``relayer.intake.refuse`` and the OpenAPI
error responses use it). An error class may answer otherwise for every code it carries: a
reverted transaction the backend sent is a ``ContractRevertError`` (422) whatever its decoded
code, and a ``NotFoundError`` is 404. A code that only names a stored order's rejection
reason (``SETTLEMENT_FAILED``) is never an HTTP answer; its status is what it would be.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from .error_codes_payments import PAYMENT_CODES
from .voucher_error_codes import VOUCHER_CODES


class ErrorCode(StrEnum):
    """A stable error code: ``ErrorCode.ORDER_EXPIRED == "ORDER_EXPIRED"``; with ``status`` and
    ``message``."""

    status: int
    message: str

    def __new__(cls, value: str, status: int, message: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.message = message
        return member

    ACCESS_CONTROL_BAD_CONFIRMATION = (
        "ACCESS_CONTROL_BAD_CONFIRMATION",
        400,
        "The role confirmation does not match.",
    )
    ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT = (
        "ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT",
        400,
        "The sending key lacks the role this needs.",
    )
    ACCOUNT_FROZEN = (
        "ACCOUNT_FROZEN",
        400,
        "The account is frozen by the merchant or the consortium.",
    )
    ALREADY_APPROVED = "ALREADY_APPROVED", 400, "You already approved this proposal."
    ALREADY_MEMBER = "ALREADY_MEMBER", 400, "That address is already a member."
    ALREADY_VOTED_CANCEL = (
        "ALREADY_VOTED_CANCEL",
        400,
        "You have already voted to cancel this proposal.",
    )
    API_KEY_NOT_FOUND = "API_KEY_NOT_FOUND", 404, "No such API key."
    APPLICATION_ALREADY_REVIEWED = (
        "APPLICATION_ALREADY_REVIEWED",
        409,
        "This application was already reviewed; its status says how.",
    )
    APPLICATION_INVALID = (
        "APPLICATION_INVALID",
        422,
        "The application has invalid fields (details list each); correct them and apply again.",
    )
    APPLICATION_NOT_FOUND = (
        "APPLICATION_NOT_FOUND",
        404,
        "No application with this reference or id; check the reference you were given.",
    )
    MEMBER_KEY_NOT_CONFIGURED = (
        "MEMBER_KEY_NOT_CONFIGURED",
        503,
        "The backend holds no chain key of your consortium member; ask the operator to set "
        "TONGDUI_MEMBER_KEYS.",
    )
    WEBHOOK_NOT_FOUND = "WEBHOOK_NOT_FOUND", 404, "No such webhook endpoint or delivery."
    WEBHOOK_INVALID = (
        "WEBHOOK_INVALID",
        400,
        "Give an http(s) URL and at least one known event type.",
    )
    AUTHORIZATION_USED = (
        "AUTHORIZATION_USED",
        409,
        "This gift authorization was already used; sign again.",
    )
    BELOW_COVER_FLOOR = (
        "BELOW_COVER_FLOOR",
        400,
        (
            "The withdrawal would leave the settlement account below the cover floor governance "
            "set against your outstanding points; withdraw less."
        ),
    )
    BLOCK_HASH_MISMATCH = (
        "BLOCK_HASH_MISMATCH",
        400,
        "That block hash is not this chain's block at that height (a reorg?); audit again.",
    )
    CALL_FAILED = "CALL_FAILED", 400, "A call in the proposal failed."
    CALL_TARGET_HAS_NO_CODE = (
        "CALL_TARGET_HAS_NO_CODE",
        400,
        "A call of the proposal targets an address with no contract.",
    )
    CAP_EXCEEDED = (
        "CAP_EXCEEDED",
        400,
        (
            "This would take the merchant's outstanding points past its cap (issuing and swapping "
            "in both count); issue or swap in less, or ask the consortium for a larger cap."
        ),
    )
    CHAIN_MOVED = "CHAIN_MOVED", 503, "The chain changed while it was read; try again."
    CHAIN_UNAVAILABLE = (
        "CHAIN_UNAVAILABLE",
        503,
        "The blockchain node cannot be reached right now; try again later.",
    )
    CONFIGURATION_ERROR = (
        "CONFIGURATION_ERROR",
        500,
        "The service is misconfigured; ask the operator.",
    )
    CONTRACT_REVERT = "CONTRACT_REVERT", 422, "The contract refused this."
    COUNTER_MISMATCH = (
        "COUNTER_MISMATCH",
        409,
        (
            "This cancel-all was signed for an older counter (it was already used, or another "
            "cancel-all came first); read your counter and sign again."
        ),
    )
    DATA_DIR_IN_USE = (
        "DATA_DIR_IN_USE",
        409,
        "Another tongdui process is using this data folder; stop it or choose another folder.",
    )
    DEPLOYMENT_NOT_FOUND = (
        "DEPLOYMENT_NOT_FOUND",
        503,
        "Tongdui is not deployed on this node; ask the operator.",
    )
    EMPTY_NAME = "EMPTY_NAME", 400, "The name cannot be empty."
    EMPTY_PERIOD = "EMPTY_PERIOD", 400, "No block falls in those dates."
    EMPTY_PROPOSAL = "EMPTY_PROPOSAL", 400, "A proposal needs at least one call."
    ENFORCED_PAUSE = "ENFORCED_PAUSE", 400, "The contract is paused by the consortium."
    ERC20_INSUFFICIENT_ALLOWANCE = (
        "ERC20_INSUFFICIENT_ALLOWANCE",
        400,
        "The allowance is too small; approve first.",
    )
    ERC20_INSUFFICIENT_BALANCE = (
        "ERC20_INSUFFICIENT_BALANCE",
        400,
        "The account holds fewer points than that.",
    )
    ERC20_INVALID_APPROVER = "ERC20_INVALID_APPROVER", 400, "Invalid approver address."
    ERC20_INVALID_RECEIVER = (
        "ERC20_INVALID_RECEIVER",
        400,
        "Invalid recipient: points cannot go to the zero address.",
    )
    ERC20_INVALID_SENDER = "ERC20_INVALID_SENDER", 400, "Invalid sender address."
    ERC20_INVALID_SPENDER = "ERC20_INVALID_SPENDER", 400, "Invalid spender address."
    EXPECTED_PAUSE = "EXPECTED_PAUSE", 400, "The contract is not paused, so this cannot be done."
    EXPIRED = "EXPIRED", 400, "The signature expired; sign again."
    E_C_D_S_A_INVALID_SIGNATURE = (
        "E_C_D_S_A_INVALID_SIGNATURE",
        400,
        "The signature is invalid; sign again.",
    )
    E_C_D_S_A_INVALID_SIGNATURE_LENGTH = (
        "E_C_D_S_A_INVALID_SIGNATURE_LENGTH",
        400,
        "The signature has the wrong length; sign again.",
    )
    E_C_D_S_A_INVALID_SIGNATURE_S = (
        "E_C_D_S_A_INVALID_SIGNATURE_S",
        400,
        "The signature is not in canonical form (s too large); sign again.",
    )
    E_R_C2612_EXPIRED_SIGNATURE = (
        "E_R_C2612_EXPIRED_SIGNATURE",
        400,
        "The signature expired; sign again.",
    )
    E_R_C2612_INVALID_SIGNER = (
        "E_R_C2612_INVALID_SIGNER",
        400,
        "The signer is not the account's owner.",
    )
    FACTORY_MISMATCH = (
        "FACTORY_MISMATCH",
        400,
        "The points token factory was made for another registry; deploy one for this registry.",
    )
    FEE_TOO_HIGH = "FEE_TOO_HIGH", 400, "The fee rate is above the maximum."
    FORBIDDEN = "FORBIDDEN", 403, "This key belongs to another merchant or lacks this scope."
    FUTURE_BLOCK = (
        "FUTURE_BLOCK",
        400,
        "An attestation cannot name a block that does not exist yet.",
    )
    HTTP_ERROR = "HTTP_ERROR", 400, "The request did not succeed; try again."
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE", 400, "Not enough points."
    INSUFFICIENT_COVER = (
        "INSUFFICIENT_COVER",
        400,
        (
            "The source merchant's settlement account cannot cover this swap right now; try a "
            "smaller amount or later."
        ),
    )
    INSUFFICIENT_OUTPUT = (
        "INSUFFICIENT_OUTPUT",
        400,
        "The swap would give fewer points than your minimum; quote again.",
    )
    INSUFFICIENT_SETTLEMENT_BALANCE = (
        "INSUFFICIENT_SETTLEMENT_BALANCE",
        400,
        "The settlement account holds less than that amount.",
    )
    INSUFFICIENT_SETTLEMENT_TOKENS = (
        "INSUFFICIENT_SETTLEMENT_TOKENS",
        422,
        (
            "The merchant's operator account holds less sCNY than the deposit; ask a settlement "
            "member to mint sCNY to it."
        ),
    )
    INTERNAL_ERROR = (
        "INTERNAL_ERROR",
        500,
        "Something went wrong on our side; the request was not applied.",
    )
    INVALID_ACCOUNT_NONCE = (
        "INVALID_ACCOUNT_NONCE",
        400,
        "The account nonce does not match; sign again.",
    )
    INVALID_ADDRESS = (
        "INVALID_ADDRESS",
        400,
        "That is not an address: 0x followed by 40 hex digits.",
    )
    INVALID_COVER_FLOOR = (
        "INVALID_COVER_FLOOR",
        400,
        "The cover floor is out of range; give 0 to 10,000 basis points.",
    )
    INVALID_CURSOR = (
        "INVALID_CURSOR",
        400,
        "The page position is invalid; reload from the first page.",
    )
    INVALID_DAILY_BAND = (
        "INVALID_DAILY_BAND",
        400,
        "The daily band of point values is invalid; give a value within the allowed range.",
    )
    INVALID_FEE_SHARES = "INVALID_FEE_SHARES", 400, "The fee shares must add up to 100%."
    INVALID_PERIOD = "INVALID_PERIOD", 400, "The statement period is invalid; check its dates."
    INVALID_POINT_VALUE = (
        "INVALID_POINT_VALUE",
        400,
        "A point value must be a whole number of settlement units above 0.",
    )
    INVALID_RECIPIENT = (
        "INVALID_RECIPIENT",
        400,
        "A gift cannot go to the zero address; enter the recipient's wallet address.",
    )
    INVALID_REQUEST = (
        "INVALID_REQUEST",
        400,
        "The request is invalid (details list every problem); fix it and send it again.",
    )
    INVALID_SCOPE = (
        "INVALID_SCOPE",
        400,
        "Unknown scope: choose from issue, redeem, value, funds, read, webhooks (or all).",
    )
    INVALID_ROLE = (
        "INVALID_ROLE",
        400,
        "Unknown operator role: choose from admin, issuer, cashier, viewer.",
    )
    INVALID_SHORT_STRING = "INVALID_SHORT_STRING", 400, "The name is not valid."
    INVALID_SIGNATURE = (
        "INVALID_SIGNATURE",
        400,
        (
            "The signature is not one the contract accepts (v must be 27/28 or 0/1, s in the low "
            "half); sign again."
        ),
    )
    INVALID_SIGNER = (
        "INVALID_SIGNER",
        400,
        "The signature does not match the order's owner; sign it with that wallet.",
    )
    INVALID_STATUS = "INVALID_STATUS", 400, "Invalid merchant status."
    INVALID_THRESHOLD = (
        "INVALID_THRESHOLD",
        400,
        (
            "The threshold must be between 1 and the member count, and at least 2 when there are "
            "several members."
        ),
    )
    INVALID_USER_LIMIT = (
        "INVALID_USER_LIMIT",
        400,
        "The per-user limit is invalid; check the limit and its window.",
    )
    INVALID_VALUE_BOUNDS = "INVALID_VALUE_BOUNDS", 400, "Invalid point-value rules."
    INVALID_VOTING_PERIOD = (
        "INVALID_VOTING_PERIOD",
        400,
        "The voting period must be between 1 hour and 90 days.",
    )
    ISSUANCE_SUSPENDED = (
        "ISSUANCE_SUSPENDED",
        400,
        "The merchant is suspended and cannot issue points.",
    )
    LENGTH_MISMATCH = "LENGTH_MISMATCH", 400, "Orders and signatures differ in number."
    MALFORMED_ORDER = (
        "MALFORMED_ORDER",
        422,
        "The order does not follow the schema (details list every field); fix it and sign again.",
    )
    MALFORMED_REQUEST = (
        "MALFORMED_REQUEST",
        422,
        (
            "The request does not follow the schema (details list every field); fix it and send "
            "it again."
        ),
    )
    MARKET_ALREADY_LISTED = "MARKET_ALREADY_LISTED", 400, "That program is already listed."
    MARKET_INACTIVE = (
        "MARKET_INACTIVE",
        400,
        "That program is suspended; swaps in and out are paused.",
    )
    MERCHANT_KEY_MISSING = (
        "MERCHANT_KEY_MISSING",
        503,
        "The backend holds no operator key for this merchant.",
    )
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", 405, "That kind of request is not supported here."
    NETWORK_NOT_FOUND = (
        "NETWORK_NOT_FOUND",
        500,
        "There is no consortium network in this data folder; run `tongdui network up` first.",
    )
    NONCE_USED = (
        "NONCE_USED",
        409,
        "This order's nonce was already used or cancelled; sign with a fresh nonce.",
    )
    NOTHING_TO_WITHDRAW = "NOTHING_TO_WITHDRAW", 400, "There is no credit to withdraw."
    NOT_APPROVED = "NOT_APPROVED", 400, "You have not approved this proposal."
    NOT_ENOUGH_APPROVALS = (
        "NOT_ENOUGH_APPROVALS",
        400,
        (
            "Not enough current members approved under the current membership and threshold; "
            "approvals given before the last change must be given again."
        ),
    )
    NOT_FOUND = "NOT_FOUND", 404, "Not found."
    NOT_ISSUER = "NOT_ISSUER", 400, "That key is not one of the merchant's issuer keys."
    NOT_MEMBER = "NOT_MEMBER", 400, "Only consortium members may do this."
    NOT_MERCHANT_ADMIN = "NOT_MERCHANT_ADMIN", 400, "Only the merchant's operator key may do this."
    NOT_MERCHANT_OR_GOVERNANCE = (
        "NOT_MERCHANT_OR_GOVERNANCE",
        400,
        "Only the merchant or the consortium may do this.",
    )
    NOT_OWNER = "NOT_OWNER", 400, "Only the order's owner may submit it directly."
    NOT_YET_VALID = "NOT_YET_VALID", 400, "The authorization is not valid yet."
    NO_AUDIT_REPORT = "NO_AUDIT_REPORT", 404, "No audit report here yet."
    ONLY_EXCHANGE = "ONLY_EXCHANGE", 400, "Only the exchange contract may do this."
    ONLY_REGISTRY = "ONLY_REGISTRY", 400, "Only the merchant registry may do this."
    ONLY_SELF = "ONLY_SELF", 400, "Only the contract itself (by a governance vote) may do this."
    OPERATOR_NOT_FOUND = "OPERATOR_NOT_FOUND", 404, "The merchant has no such operator."
    ORDER_CANCELLED = (
        "ORDER_CANCELLED",
        400,
        "All orders signed before your last cancel-all are void; sign again.",
    )
    ORDER_EXPIRED = (
        "ORDER_EXPIRED",
        400,
        "The order's deadline has passed; sign a new order with a later deadline.",
    )
    ORDER_FAILED_WITHOUT_REASON = (
        "ORDER_FAILED_WITHOUT_REASON",
        400,
        "An order of the batch ran out of gas; the batch was not applied. Retry with more gas.",
    )
    ORDER_VALUE_TOO_LOW = (
        "ORDER_VALUE_TOO_LOW",
        400,
        (
            "The order is worth less than the smallest order the exchange accepts; swap more "
            "points at once."
        ),
    )
    PAYLOAD_TOO_LARGE = (
        "PAYLOAD_TOO_LARGE",
        413,
        "The request body is larger than this API takes; send only the documented fields.",
    )
    PORT_IN_USE = "PORT_IN_USE", 500, "The port is in use; choose another."
    PROPOSAL_NOT_OPEN = (
        "PROPOSAL_NOT_OPEN",
        400,
        "The proposal is no longer open: executed, cancelled or expired.",
    )
    REENTRANCY_GUARD_REENTRANT_CALL = (
        "REENTRANCY_GUARD_REENTRANT_CALL",
        400,
        "The contract refused a reentrant call.",
    )
    RPC_ERROR = "RPC_ERROR", 503, "The blockchain node answered with an error; try again later."
    SAFE_CAST_OVERFLOWED_UINT_DOWNCAST = (
        "SAFE_CAST_OVERFLOWED_UINT_DOWNCAST",
        400,
        "A number is out of range.",
    )
    SAFE_ERC20_FAILED_OPERATION = "SAFE_ERC20_FAILED_OPERATION", 400, "A token transfer failed."
    SAME_TOKEN = "SAME_TOKEN", 400, "Choose two different programs to swap between."
    SETTLEMENT_FAILED = (
        "SETTLEMENT_FAILED",
        422,
        "The settlement transaction failed; the order did not run.",
    )
    STRING_TOO_LONG = "STRING_TOO_LONG", 400, "The name is too long."
    TOKEN_NOT_FOUND = "TOKEN_NOT_FOUND", 404, "No such program."
    TONGDUI_ERROR = "TONGDUI_ERROR", 500, "The request did not succeed; try again."
    TRANSACTION_NOT_FOUND = (
        "TRANSACTION_NOT_FOUND",
        404,
        "The node knows no such transaction: it was never sent or was dropped; check the hash.",
    )
    TRANSACTION_REVERTED = (
        "TRANSACTION_REVERTED",
        422,
        "The transaction was refused on chain and had no effect; sign again.",
    )
    UNAUTHORIZED = "UNAUTHORIZED", 401, "The API key is invalid or revoked."
    UNKNOWN = "UNKNOWN", 400, "No such attestation."
    UNKNOWN_ERROR = "UNKNOWN_ERROR", 400, "The contract refused the call for an unknown reason."
    UNKNOWN_MARKET = "UNKNOWN_MARKET", 400, "That points token is not a program on Tongdui."
    UNKNOWN_MERCHANT = "UNKNOWN_MERCHANT", 404, "No such merchant."
    UNKNOWN_PROPOSAL = "UNKNOWN_PROPOSAL", 400, "No such proposal."
    USER_LIMIT_EXCEEDED = (
        "USER_LIMIT_EXCEEDED",
        400,
        (
            "This swap would pass your swap limit; the limit recovers gradually, so swap less or "
            "wait a while."
        ),
    )
    VALUE_CHANGE_TOO_SOON = (
        "VALUE_CHANGE_TOO_SOON",
        400,
        "The point value was changed too recently; wait for the interval.",
    )
    VALUE_INTERVAL_TOO_SHORT = (
        "VALUE_INTERVAL_TOO_SHORT",
        400,
        "Governance may not set a point-value interval that short.",
    )
    VALUE_OUTSIDE_DAILY_BAND = (
        "VALUE_OUTSIDE_DAILY_BAND",
        400,
        (
            "The new value leaves the band governance allows around today's reference value; "
            "choose a value closer to it or wait until the reference period ends."
        ),
    )
    VALUE_STEP_TOO_LARGE = (
        "VALUE_STEP_TOO_LARGE",
        400,
        "The change is larger than governance's maximum step.",
    )
    WRONG_CHAIN = (
        "WRONG_CHAIN",
        400,
        "The order was signed for another chain; switch networks and sign again.",
    )
    WRONG_COUNTER = (
        "WRONG_COUNTER",
        400,
        "The order's counter differs from the chain's; reload and sign again.",
    )
    WRONG_DOMAIN = (
        "WRONG_DOMAIN",
        400,
        "The order was signed for another contract; reload and sign again.",
    )
    ZERO_ADDRESS = "ZERO_ADDRESS", 400, "The address cannot be the zero address."
    ZERO_AMOUNT = "ZERO_AMOUNT", 400, "The amount must be greater than zero."
    ZERO_OUTPUT = (
        "ZERO_OUTPUT",
        400,
        "The amount is too small to buy even one point of the target program.",
    )
    CROSSCHAIN_AMOUNT_TOO_SMALL = (
        "CROSSCHAIN_AMOUNT_TOO_SMALL",
        400,
        "Too small: it buys less than one point on the other chain.",
    )
    CROSSCHAIN_BAD_LOCK = (
        "CROSSCHAIN_BAD_LOCK",
        400,
        "The Lock signature does not match the quote or is not the quoted address's.",
    )
    CROSSCHAIN_MALFORMED = (
        "CROSSCHAIN_MALFORMED",
        400,
        "Malformed request: 32 bytes as 0x-hex expected.",
    )
    CROSSCHAIN_NOT_CLAIMABLE = (
        "CROSSCHAIN_NOT_CLAIMABLE",
        409,
        "Nothing is locked for you on the other chain yet: it cannot be claimed.",
    )
    CROSSCHAIN_NO_LIQUIDITY = (
        "CROSSCHAIN_NO_LIQUIDITY",
        409,
        "The bridge member holds too few points on the other chain: swap less or try later.",
    )
    CROSSCHAIN_OFF = "CROSSCHAIN_OFF", 404, "This instance runs no cross-chain bridge."
    CROSSCHAIN_QUOTE_EXPIRED = (
        "CROSSCHAIN_QUOTE_EXPIRED",
        400,
        "The quote has expired: get a new one.",
    )
    CROSSCHAIN_QUOTE_INVALID = (
        "CROSSCHAIN_QUOTE_INVALID",
        400,
        "The quote differs from what the bridge member signed: get a new one.",
    )
    CROSSCHAIN_QUOTE_USED = (
        "CROSSCHAIN_QUOTE_USED",
        400,
        "This quote or hashlock was already used: get a new quote.",
    )
    CROSSCHAIN_SWAP_NOT_FOUND = "CROSSCHAIN_SWAP_NOT_FOUND", 404, "No such cross-chain swap."
    CROSSCHAIN_WRONG_SECRET = (
        "CROSSCHAIN_WRONG_SECRET",
        400,
        "The secret does not open the hashlock.",
    )
    HTLC_AMOUNT_TOO_LARGE = (
        "HTLC_AMOUNT_TOO_LARGE",
        400,
        "Too many points for one lock: lock them in parts.",
    )
    HTLC_EXPIRED = (
        "HTLC_EXPIRED",
        400,
        "The lock has expired: it can no longer be claimed, only refunded to its sender.",
    )
    HTLC_HASHLOCK_USED = (
        "HTLC_HASHLOCK_USED",
        400,
        "You already used this hashlock: make a new secret.",
    )
    HTLC_INVALID_DURATIONS = (
        "HTLC_INVALID_DURATIONS",
        400,
        "The timelock contract's durations are invalid: the shortest must be above zero and at "
        "most the longest.",
    )
    HTLC_INVALID_SIGNER = (
        "HTLC_INVALID_SIGNER",
        400,
        "The Lock signature is not the sender's wallet's: sign again with that wallet.",
    )
    HTLC_MARGIN_TOO_SMALL = (
        "HTLC_MARGIN_TOO_SMALL",
        400,
        "The two chains' timelocks are closer than the safety margin: get a new quote.",
    )
    HTLC_NOT_OPEN = "HTLC_NOT_OPEN", 400, "The lock was already claimed or refunded."
    HTLC_NOT_YET_REFUNDABLE = (
        "HTLC_NOT_YET_REFUNDABLE",
        400,
        "The lock has not expired yet: it cannot be refunded now.",
    )
    HTLC_SIGNATURE_EXPIRED = (
        "HTLC_SIGNATURE_EXPIRED",
        400,
        "The Lock signature has expired: sign again.",
    )
    HTLC_TIMELOCK_OUT_OF_RANGE = (
        "HTLC_TIMELOCK_OUT_OF_RANGE",
        400,
        "The timelock is outside the allowed range: get a new quote.",
    )
    HTLC_TOKEN_NOT_REGISTERED = (
        "HTLC_TOKEN_NOT_REGISTERED",
        400,
        "That token is not a Tongdui points program: it cannot be locked.",
    )
    HTLC_UNKNOWN_LOCK = "HTLC_UNKNOWN_LOCK", 400, "There is no such lock."
    HTLC_WRONG_PREIMAGE = (
        "HTLC_WRONG_PREIMAGE",
        400,
        "The secret does not open the hashlock; check the secret.",
    )
    HTLC_ZERO_AMOUNT = "HTLC_ZERO_AMOUNT", 400, "The amount to lock must be greater than zero."
    HTLC_ZERO_RECEIVER = "HTLC_ZERO_RECEIVER", 400, "Name the address that may claim the lock."
    # merchant back office: CRM member ids, bulk issuance, idempotency keys (issue 18)
    MEMBER_ID_INVALID = (
        "MEMBER_ID_INVALID",
        422,
        "A member id must be 1 to 128 characters: send your CRM's member id as text.",
    )
    MEMBER_NOT_LINKED = (
        "MEMBER_NOT_LINKED",
        404,
        "No wallet is linked to this member id (never linked, or erased): link it first.",
    )
    BULK_FILE_INVALID = (
        "BULK_FILE_INVALID",
        422,
        "The file has errors (details list every row): fix them and upload it again; "
        "nothing was issued.",
    )
    BULK_JOB_NOT_FOUND = "BULK_JOB_NOT_FOUND", 404, "There is no such bulk issuance job."
    # bulk swap orders (issue 19): POST /orders/bulk
    TOO_MANY_ORDERS = (
        "TOO_MANY_ORDERS",
        413,
        "A bulk request takes at most 500 orders: split them into requests of at most 500.",
    )
    IDEMPOTENCY_KEY_REUSED = (
        "IDEMPOTENCY_KEY_REUSED",
        409,
        "This Idempotency-Key was already used with another request: use a fresh key.",
    )
    # risk rules at intake (issue 18.6): each rule's code, and configuring and reviewing them
    RISK_VELOCITY = (
        "RISK_VELOCITY",
        400,
        "Too many orders or gifts from this address or member in a short time; wait a while.",
    )
    RISK_AMOUNT = (
        "RISK_AMOUNT",
        400,
        "The amount is above what one request may move without review; split it or ask the "
        "merchant.",
    )
    RISK_COOLING = (
        "RISK_COOLING",
        400,
        "This address is new here and still in its cooling period; try again later.",
    )
    RISK_BLOCKED = (
        "RISK_BLOCKED",
        400,
        "The address is on a block list; contact the merchant.",
    )
    RISK_RULE_INVALID = (
        "RISK_RULE_INVALID",
        422,
        "The rule is incomplete: give the numbers its kind needs (see the rule's fields).",
    )
    RISK_RULE_NOT_FOUND = "RISK_RULE_NOT_FOUND", 404, "This merchant has no such risk rule."
    RISK_NOT_HELD = (
        "RISK_NOT_HELD",
        409,
        "That order or gift is not held for this merchant's review (already released, "
        "refused, or never held): reload the list.",
    )
    # points expiry (issue 16): PointsToken's expiry errors and the expiry-rule route's refusal
    INVALID_EXPIRY_RULE = (
        "INVALID_EXPIRY_RULE",
        400,
        "The expiry rule is not valid: send validityMonths from 0 (never expire) to 1200 and "
        "roundingMonths 1 (month), 3 (quarter), 6 (half year) or 12 (year).",
    )
    INVALID_EXPIRY_KEY = (
        "INVALID_EXPIRY_KEY",
        400,
        "Key 0 is not an expiry key: give a month index, or 65535 for points that never expire.",
    )
    CAP_TOO_LARGE = (
        "CAP_TOO_LARGE",
        400,
        "An issuance cap is at most 2^108 − 1 points: choose a smaller cap.",
    )

    # ── issue 16, points + cash (w7-cash): the payment codes, from error_codes_payments.py ──
    vars().update(PAYMENT_CODES)  # the class namespace: each entry becomes a member

    # ─── issue 16: vouchers (their entries live in voucher_error_codes.py) ────────────────
    # Enum's documented ``_ignore_`` + ``vars()`` idiom: members made in a loop.
    _ignore_ = "_voucher_members _voucher_entry"
    _voucher_members = vars()
    for _voucher_entry in VOUCHER_CODES:
        _voucher_members[_voucher_entry[0]] = _voucher_entry
