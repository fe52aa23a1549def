"""Contains all the data models used in inputs/outputs"""

from .attempt import Attempt
from .bulk_progress import BulkProgress
from .bulk_progress_state import BulkProgressState
from .bulk_row_page import BulkRowPage
from .bulk_row_result import BulkRowResult
from .bulk_row_result_state import BulkRowResultState
from .controls import Controls
from .delivery import Delivery
from .delivery_state import DeliveryState
from .endpoint import Endpoint
from .endpoint_request import EndpointRequest
from .endpoint_request_event_types_item import EndpointRequestEventTypesItem
from .endpoint_with_secret import EndpointWithSecret
from .error import Error
from .error_details import ErrorDetails
from .frozen_account import FrozenAccount
from .funds_request import FundsRequest
from .funds_tx import FundsTx
from .funds_tx_status import FundsTxStatus
from .held_request import HeldRequest
from .held_request_subject import HeldRequestSubject
from .interception_count import InterceptionCount
from .interception_count_outcome import InterceptionCountOutcome
from .issue_request import IssueRequest
from .key_info import KeyInfo
from .list_swaps_direction import ListSwapsDirection
from .member_erased import MemberErased
from .member_issue_request import MemberIssueRequest
from .member_link_request import MemberLinkRequest
from .member_linked import MemberLinked
from .member_points_tx import MemberPointsTx
from .member_points_tx_status import MemberPointsTxStatus
from .member_redeem_request import MemberRedeemRequest
from .member_ref import MemberRef
from .merchant_answer import MerchantAnswer
from .merchant_answer_status import MerchantAnswerStatus
from .merchant_info import MerchantInfo
from .merchant_info_status import MerchantInfoStatus
from .merchant_list import MerchantList
from .merchant_stats import MerchantStats
from .merchant_swap import MerchantSwap
from .merchant_swap_direction import MerchantSwapDirection
from .op_log_page import OpLogPage
from .op_log_row import OpLogRow
from .op_log_row_actor import OpLogRowActor
from .op_log_row_result import OpLogRowResult
from .op_log_verification import OpLogVerification
from .op_log_verification_reason_type_0 import OpLogVerificationReasonType0
from .operator_key_created import OperatorKeyCreated
from .operator_request import OperatorRequest
from .operator_request_role import OperatorRequestRole
from .operator_view import OperatorView
from .platform_stats import PlatformStats
from .point_value_request import PointValueRequest
from .point_value_tx import PointValueTx
from .point_value_tx_status import PointValueTxStatus
from .points_tx import PointsTx
from .points_tx_status import PointsTxStatus
from .pricing_day import PricingDay
from .pricing_reason import PricingReason
from .pricing_reason_code import PricingReasonCode
from .pricing_reason_params import PricingReasonParams
from .pricing_suggestion import PricingSuggestion
from .product_in import ProductIn
from .product_out import ProductOut
from .product_tx import ProductTx
from .quote_out import QuoteOut
from .redeem_out import RedeemOut
from .redeem_request import RedeemRequest
from .redemption_fields import RedemptionFields
from .redemption_in import RedemptionIn
from .redemption_typed_data import RedemptionTypedData
from .redemption_typed_data_domain import RedemptionTypedDataDomain
from .redemption_typed_data_message import RedemptionTypedDataMessage
from .redemption_typed_data_typeddata import RedemptionTypedDataTypeddata
from .redemption_typed_data_types import RedemptionTypedDataTypes
from .redemption_typed_data_types_additional_property_item import RedemptionTypedDataTypesAdditionalPropertyItem
from .replay_result import ReplayResult
from .review_out import ReviewOut
from .review_out_subject import ReviewOutSubject
from .review_request import ReviewRequest
from .review_request_decision import ReviewRequestDecision
from .rule_out import RuleOut
from .rule_out_scope import RuleOutScope
from .rule_request import RuleRequest
from .rule_request_action import RuleRequestAction
from .rule_request_kind import RuleRequestKind
from .sales_point import SalesPoint
from .sales_series import SalesSeries
from .stock_in import StockIn
from .swap_page import SwapPage
from .tx_result import TxResult
from .tx_result_status import TxResultStatus
from .upload_bulk_format import UploadBulkFormat
from .value_bounds import ValueBounds
from .withdraw_request import WithdrawRequest

__all__ = (
    "Attempt",
    "BulkProgress",
    "BulkProgressState",
    "BulkRowPage",
    "BulkRowResult",
    "BulkRowResultState",
    "Controls",
    "Delivery",
    "DeliveryState",
    "Endpoint",
    "EndpointRequest",
    "EndpointRequestEventTypesItem",
    "EndpointWithSecret",
    "Error",
    "ErrorDetails",
    "FrozenAccount",
    "FundsRequest",
    "FundsTx",
    "FundsTxStatus",
    "HeldRequest",
    "HeldRequestSubject",
    "InterceptionCount",
    "InterceptionCountOutcome",
    "IssueRequest",
    "KeyInfo",
    "ListSwapsDirection",
    "MemberErased",
    "MemberIssueRequest",
    "MemberLinked",
    "MemberLinkRequest",
    "MemberPointsTx",
    "MemberPointsTxStatus",
    "MemberRedeemRequest",
    "MemberRef",
    "MerchantAnswer",
    "MerchantAnswerStatus",
    "MerchantInfo",
    "MerchantInfoStatus",
    "MerchantList",
    "MerchantStats",
    "MerchantSwap",
    "MerchantSwapDirection",
    "OperatorKeyCreated",
    "OperatorRequest",
    "OperatorRequestRole",
    "OperatorView",
    "OpLogPage",
    "OpLogRow",
    "OpLogRowActor",
    "OpLogRowResult",
    "OpLogVerification",
    "OpLogVerificationReasonType0",
    "PlatformStats",
    "PointsTx",
    "PointsTxStatus",
    "PointValueRequest",
    "PointValueTx",
    "PointValueTxStatus",
    "PricingDay",
    "PricingReason",
    "PricingReasonCode",
    "PricingReasonParams",
    "PricingSuggestion",
    "ProductIn",
    "ProductOut",
    "ProductTx",
    "QuoteOut",
    "RedeemOut",
    "RedeemRequest",
    "RedemptionFields",
    "RedemptionIn",
    "RedemptionTypedData",
    "RedemptionTypedDataDomain",
    "RedemptionTypedDataMessage",
    "RedemptionTypedDataTypeddata",
    "RedemptionTypedDataTypes",
    "RedemptionTypedDataTypesAdditionalPropertyItem",
    "ReplayResult",
    "ReviewOut",
    "ReviewOutSubject",
    "ReviewRequest",
    "ReviewRequestDecision",
    "RuleOut",
    "RuleOutScope",
    "RuleRequest",
    "RuleRequestAction",
    "RuleRequestKind",
    "SalesPoint",
    "SalesSeries",
    "StockIn",
    "SwapPage",
    "TxResult",
    "TxResultStatus",
    "UploadBulkFormat",
    "ValueBounds",
    "WithdrawRequest",
)
