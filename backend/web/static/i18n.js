// Chinese (zh-CN, the default) and English. The choice is kept in localStorage.
// t(key, vars) fills {name} placeholders; an unknown key comes back unchanged.

const zh = {
  brand: "积分通兑",
  "nav.wallet": "钱包", "nav.merchant": "商户", "nav.auditor": "审计", "nav.consortium": "联盟",
  "state.loading": "正在加载{what}…", "state.error": "出错了：", "action.retry": "重试",
  "state.received": "已接收", "state.submitted": "已提交上链", "state.settled": "已结算", "state.rejected": "已拒绝",
  "state.done": "已完成", "state.failed": "失败", "state.pending": "处理中",
  "status.active": "正常", "status.suspended": "已暂停", "status.none": "未知",
  "col.program": "积分项目", "col.points": "积分", "col.value": "价值", "col.total": "合计", "col.pointValue": "每分价值",
  "col.status": "状态", "col.time": "时间", "col.direction": "方向", "col.swap": "兑换", "col.yourFee": "本商户手续费", "col.admin": "管理地址", "col.issuers": "发放密钥",
  "wallet.title": "我的钱包", "wallet.intro": "连接钱包，查看各积分项目的余额，在项目之间通兑积分——只需签名，无需支付燃料费。",
  "wallet.connect": "连接钱包", "wallet.noWallet": "未检测到浏览器钱包。请安装 MetaMask 等支持 EIP-1193 的钱包后刷新本页。",
  "wallet.wrongChain": "钱包当前连接的是链 {have}，积分通兑运行在链 {want}。请在钱包中切换网络。", "wallet.switch": "切换网络",
  "wallet.connectedAs": "已连接", "wallet.chain": "链 {id}", "wallet.balances": "积分余额", "wallet.programs": "可通兑的积分项目",
  "wallet.noPrograms": "还没有商户加入。", "wallet.asOf": "数据截至区块 {block}",
  "swap.title": "积分通兑", "swap.from": "转出积分", "swap.to": "换入积分", "swap.amount": "数量", "swap.max": "全部",
  "swap.slippage": "可接受的价格变动", "swap.reverse": "互换方向", "swap.enterAmount": "输入数量即可查看实时报价。",
  "swap.quote": "报价", "swap.youReceive": "预计获得", "swap.grossValue": "兑换价值", "swap.fee": "手续费", "swap.feeRoundedUp": "向上取整到分", "swap.minReceived": "最少获得",
  "swap.rate": "积分价值", "swap.sign": "签名并兑换", "swap.signing": "请在钱包中确认签名…", "swap.submitting": "正在提交订单…",
  "swap.notEnough": "余额不足：您持有 {held} {symbol}。", "swap.settledToast": "兑换已结算，余额已更新。",
  "orders.title": "我的订单", "orders.none": "还没有订单。", "orders.cancel": "撤销", "orders.cancelSent": "撤销请求已提交。", "orders.cancelAll": "撤销全部订单", "orders.cancelAllSent": "已提交撤销全部订单的请求（无需支付手续费）。", "orders.rejectedFinal": "被拒绝的订单已作废，不会再被执行；如需兑换，请重新下单。",
  "orders.reason": "原因：", "orders.hash": "订单哈希", "orders.tx": "交易", "orders.block": "区块",
  "gift.title": "转赠积分", "gift.token": "积分项目", "gift.amount": "数量", "gift.to": "接收地址", "gift.sign": "签名并转赠",
  "gift.badAddress": "接收地址应为 0x 开头的 40 位十六进制地址。", "gift.sent": "已转赠 {value} {symbol} 给 {to}",
  "history.title": "历史记录", "history.none": "还没有记录。", "history.more": "加载更多",
  "history.swap": "{inn} {from} 兑换为 {out} {to}", "history.issue": "获得商户发放 {amount} {symbol}", "history.redeem": "核销 {amount} {symbol}",
  "history.giftIn": "收到 {who} 转赠的 {amount} {symbol}", "history.giftOut": "转赠 {amount} {symbol} 给 {who}", "history.rejected": "订单被拒绝：{reason}",
  "kind.swap": "通兑", "kind.issue": "发放", "kind.redeem": "核销", "kind.transfer": "转赠", "kind.rejected": "拒绝",
  "merchant.title": "商户后台", "merchant.intro": "输入商户 API 密钥以管理您的积分项目。密钥只保存在本标签页的会话中，关闭即清除。",
  "merchant.apiKey": "API 密钥", "merchant.keyHint": "由运营方通过 tongdui 命令生成，形如 tdk_…", "merchant.signIn": "登录", "merchant.signOut": "退出",
  "merchant.checking": "正在验证密钥", "merchant.noMerchants": "还没有商户。", "merchant.signedInAs": "当前商户", "merchant.scopes": "权限：{scopes}",
  "merchant.noOperatorKey": "后端未持有本商户的操作密钥，写操作将无法执行。请联系运营方配置 TONGDUI_MERCHANT_KEYS。",
  "merchant.overview": "概览", "merchant.pointValue": "积分价值", "merchant.settlementBalance": "清算账户余额", "merchant.outstanding": "流通积分",
  "merchant.ofCap": "发行上限 {cap}", "merchant.feesEarned": "手续费收入", "merchant.feeCredit": "待提取 {credit}",
  "merchant.swapsOut": "转出兑换", "merchant.swapsIn": "转入兑换", "merchant.issued": "累计发放", "merchant.redeemed": "累计核销", "merchant.holders": "{n} 位持有人",
  "merchant.issue": "发放积分", "merchant.holder": "用户地址", "merchant.points": "积分数量", "merchant.issueButton": "发放",
  "merchant.sending": "正在提交交易", "merchant.issued1": "已向 {who} 发放 {amount} 积分。", "merchant.mined": "已上链（区块 {block}）。", "merchant.pending": "交易 {tx} 等待上链。",
  "merchant.redeem": "核销积分", "merchant.redeemHelp": "核销需要持有人签名同意：先生成同意书，由持有人在其钱包中签名，再提交。",
  "merchant.prepareConsent": "生成同意书", "merchant.consentAsk": "请持有人在钱包中签署以下同意书，并把签名填入下方。", "merchant.consentDoc": "查看同意书（EIP-712）",
  "merchant.signHere": "用本机钱包签名", "merchant.holderSignature": "持有人签名", "merchant.redeemButton": "核销", "merchant.redeemed1": "已核销 {who} 的 {amount} 积分。",
  "merchant.current": "当前价值", "merchant.fen": "分", "merchant.allowed": "允许范围", "merchant.interval": "最短调整间隔", "merchant.seconds": "{n} 秒",
  "merchant.nextChange": "下次可调整", "merchant.now": "现在", "merchant.newValue": "新的积分价值（分/积分）", "merchant.setValue": "设置价值",
  "merchant.valueSet": "积分价值已由 {old} 调整为 {now}。",
  "merchant.settlement": "清算账户", "merchant.settlementHelp": "清算账户中的清算币用于支付用户从本项目兑出的价值。余额不足时，兑出订单会被拒绝。",
  "merchant.amountYuan": "金额（元）", "merchant.deposit": "存入", "merchant.withdraw": "提取",
  "merchant.depositDone": "已存入 {amount}，余额 {balance}。", "merchant.withdrawDone": "已提取 {amount}，余额 {balance}。",
  "merchant.charts": "趋势", "merchant.chartVolume": "兑换价值（转出 / 转入）", "merchant.chartFees": "累计手续费收入",
  "merchant.noChart": "有兑换后，这里会显示趋势图。", "merchant.controls": "发放密钥与冻结", "merchant.issuers": "发放密钥（轮换操作密钥时全部撤销）", "merchant.noIssuers": "没有发放密钥。", "merchant.frozen": "冻结的账户", "merchant.noFrozen": "没有冻结的账户。", "merchant.frozenByMerchant": "商户冻结", "merchant.frozenByGovernance": "联盟冻结（只有联盟投票可解除）", "merchant.swaps": "兑换记录", "merchant.noSwaps": "还没有兑换记录。",
  "merchant.dir.in": "转入", "merchant.dir.out": "转出",
  "auditor.intro": "审计方在自己的节点上重放全部链上历史，核对每一条不变量，并在链上发布证明。",
  "auditor.results": "最新审计结果", "auditor.noResults": "本服务还没有运行过审计。运行 tongdui audit 生成报告。", "auditor.noAuditApi": "本服务未提供审计结果接口。",
  "auditor.pass": "通过", "auditor.fail": "未通过", "auditor.upTo": "截至区块 {block}", "auditor.digest": "历史摘要",
  "auditor.attestations": "链上证明", "auditor.noAttestations": "还没有审计方发布证明。", "auditor.auditor": "审计方",
  "auditor.statements": "对账单", "auditor.download": "下载 {kind}", "auditor.statsFallback": "审计对账单接口不可用，以下为各商户的统计数据。",
  "auditor.range": "区块 {from} – {to}，共 {events} 条事件", "auditor.reportHash": "报告哈希", "auditor.attested": "已上链证明",
  "auditor.latestOf": "该审计方最新的证明", "auditor.digestTitle": "历史摘要", "auditor.head": "最新区块",
  "auditor.digestHelp": "历史摘要是对平台全部事件的哈希链。任何节点上重算的结果都应相同；与审计报告和链上证明比对即可。",
  "auditor.atBlock": "截至区块（留空为最新）", "auditor.compute": "重算摘要", "auditor.replaying": "正在重放历史",
  "auditor.blockHash": "区块哈希", "auditor.events": "事件数", "auditor.vsReport": "与审计报告比对", "auditor.matches": "一致", "auditor.differs": "不一致",
  "auditor.consortiumStatement": "联盟总对账单", "auditor.statementHelp": "对账单由审计方的重放生成：发放、核销、兑出兑入、手续费与净头寸。日期按北京时间（UTC+8）计，留空为全部历史。",
  "auditor.fromDate": "起始日期", "auditor.toDate": "截止日期", "auditor.downloaded": "已下载 {name}（区块 {from} – {to}）", "auditor.reconciles": "期初期末相符",
  "consortium.title": "联盟", "consortium.members": "联盟成员", "consortium.threshold": "通过门槛", "consortium.merchants": "商户",
  "consortium.open": "待表决提案", "consortium.proposals": "提案", "consortium.noProposals": "还没有提案。", "consortium.untitled": "（无标题）",
  "consortium.proposedBy": "提议人 {who}", "consortium.approvals": "已批准 {n} / 需 {m}", "consortium.calls": "{n} 项调用",
  "proposal.open": "表决中", "proposal.executed": "已执行", "proposal.cancelled": "已撤销", "proposal.expired": "已过期", "proposal.none": "不存在",
  "consortium.cancelThreshold": "撤销门槛", "consortium.votingPeriod": "表决期", "consortium.days": "{n} 天",
  "consortium.openUntil": "表决截止 {when}", "consortium.expiredAt": "已于 {when} 过期",
  "consortium.cancelVotes": "撤销票 {n} / 需 {m}", "consortium.votedCancel": "投票撤销",
  "state.cancelled": "已撤销",
  "swap.feeCharged": "手续费", "swap.rounding": "零头", "swap.roundingHint": "不足一个 {symbol} 的零头无法换成积分，计入手续费",
  "swap.feeAndRounding": "手续费（含零头）", "swap.cost": "共扣除 {amount}，占兑换价值的 {pct}",
  "swap.lossless": "改为兑换 {amount} {from}，可得 {out} {to}，没有零头损失。", "swap.lessLoss": "改为兑换 {amount} {from}，可得 {out} {to}，零头只有 {rounding}。",
  "swap.useAmount": "改用 {amount}",
  "swap.why.amount": "请先输入要兑换的数量。", "swap.why.quoting": "正在获取报价，请稍候。", "swap.why.quoteFailed": "没有有效报价（原因见上方），无法签名。",
  "swap.why.notEnough": "余额不足，无法签名。", "swap.why.minZero": "按所选价格变动，最少获得为 0 个积分，请加大数量。", "swap.why.busy": "正在处理上一笔订单。",
  "gift.zeroAddress": "不能转赠给零地址（0x000…000）：那里的积分将永远无法取回。", "gift.received": "转赠请求已提交：{value} {symbol} 给 {to}",
  "gift.failed": "转赠 {value} {symbol} 给 {to} 未成功：", "gift.why.busy": "正在提交转赠，请稍候。",
  "scope.issue": "发放", "scope.redeem": "核销", "scope.value": "积分价值", "scope.funds": "清算资金", "scope.read": "只读",
  "merchant.limited": "本密钥只有部分权限，以下只显示它能使用的功能。", "merchant.why.tooSoon": "距上次调整时间太短，{when} 之后才能再调。",
  "merchant.why.sending": "正在提交上一笔交易。", "merchant.why.checking": "正在验证密钥。", "merchant.operatorHolds": "操作账户可存入：{amount}",
  "check.invariant-1": "各账户余额之和等于发行总量；发行总量等于发放减核销", "check.invariant-2": "兑换前后清算价值守恒；兑换合约持有的清算币等于各商户账户与待提取手续费之和",
  "check.invariant-3": "各方分得的手续费等于收取的手续费；提取不超过应得", "check.invariant-4": "每笔订单最多执行一次，从不执行过期或已撤销的订单",
  "check.invariant-5": "链上每个数值都能仅凭事件重建", "check.database": "索引数据库与重放结果一致", "check.statement": "对账单与按链上数据重建的一致",
};

const en = {
  brand: "Tongdui",
  "nav.wallet": "Wallet", "nav.merchant": "Merchant", "nav.auditor": "Auditor", "nav.consortium": "Consortium",
  "state.loading": "Loading {what}…", "state.error": "Something went wrong:", "action.retry": "Retry",
  "state.received": "Received", "state.submitted": "Submitted", "state.settled": "Settled", "state.rejected": "Rejected",
  "state.done": "Done", "state.failed": "Failed", "state.pending": "Pending",
  "status.active": "Active", "status.suspended": "Suspended", "status.none": "Unknown",
  "col.program": "Program", "col.points": "Points", "col.value": "Value", "col.total": "Total", "col.pointValue": "Value per point",
  "col.status": "Status", "col.time": "Time", "col.direction": "Direction", "col.swap": "Swap", "col.yourFee": "Your fee", "col.admin": "Admin", "col.issuers": "Issuer keys",
  "wallet.title": "My wallet", "wallet.intro": "Connect your wallet to see your points in every program and swap between them — you only sign, you never pay gas.",
  "wallet.connect": "Connect wallet", "wallet.noWallet": "No browser wallet found. Install an EIP-1193 wallet such as MetaMask, then reload this page.",
  "wallet.wrongChain": "Your wallet is on chain {have}; Tongdui runs on chain {want}. Switch networks in your wallet.", "wallet.switch": "Switch network",
  "wallet.connectedAs": "Connected as", "wallet.chain": "chain {id}", "wallet.balances": "Balances", "wallet.programs": "Programs you can swap",
  "wallet.noPrograms": "No merchant has joined yet.", "wallet.asOf": "as of block {block}",
  "swap.title": "Swap points", "swap.from": "From", "swap.to": "To", "swap.amount": "Amount", "swap.max": "Max",
  "swap.slippage": "Price change tolerated", "swap.reverse": "Reverse", "swap.enterAmount": "Enter an amount to see a live quote.",
  "swap.quote": "the quote", "swap.youReceive": "You receive", "swap.grossValue": "Value", "swap.fee": "Fee", "swap.feeRoundedUp": "rounded up to the fen", "swap.minReceived": "Minimum received",
  "swap.rate": "Point values", "swap.sign": "Sign and swap", "swap.signing": "Confirm the signature in your wallet…", "swap.submitting": "Submitting the order…",
  "swap.notEnough": "Not enough points: you hold {held} {symbol}.", "swap.settledToast": "Swap settled; balances updated.",
  "orders.title": "My orders", "orders.none": "No orders yet.", "orders.cancel": "Cancel", "orders.cancelSent": "Cancellation submitted.", "orders.cancelAll": "Cancel all orders", "orders.cancelAllSent": "Cancel-all submitted (no gas needed).", "orders.rejectedFinal": "A rejected order is void and will never execute; place a new order to swap.",
  "orders.reason": "Reason:", "orders.hash": "Order hash", "orders.tx": "Transaction", "orders.block": "Block",
  "gift.title": "Gift points", "gift.token": "Program", "gift.amount": "Amount", "gift.to": "Recipient address", "gift.sign": "Sign and gift",
  "gift.badAddress": "The recipient must be an address: 0x followed by 40 hex digits.", "gift.sent": "Gifted {value} {symbol} to {to}",
  "history.title": "History", "history.none": "Nothing here yet.", "history.more": "Load more",
  "history.swap": "Swapped {inn} {from} for {out} {to}", "history.issue": "Received {amount} {symbol} from the merchant", "history.redeem": "Redeemed {amount} {symbol}",
  "history.giftIn": "Received {amount} {symbol} from {who}", "history.giftOut": "Gave {amount} {symbol} to {who}", "history.rejected": "Order rejected: {reason}",
  "kind.swap": "Swap", "kind.issue": "Issue", "kind.redeem": "Redeem", "kind.transfer": "Gift", "kind.rejected": "Rejected",
  "merchant.title": "Merchant console", "merchant.intro": "Enter your merchant API key to manage your program. The key stays in this tab's session only and is gone when you close it.",
  "merchant.apiKey": "API key", "merchant.keyHint": "Created by the operator with the tongdui command; it looks like tdk_…", "merchant.signIn": "Sign in", "merchant.signOut": "Sign out",
  "merchant.checking": "Checking the key", "merchant.noMerchants": "No merchants yet.", "merchant.signedInAs": "Merchant", "merchant.scopes": "scopes: {scopes}",
  "merchant.noOperatorKey": "The backend holds no operator key for this merchant, so writes will fail. Ask the operator to set TONGDUI_MERCHANT_KEYS.",
  "merchant.overview": "Overview", "merchant.pointValue": "Point value", "merchant.settlementBalance": "Settlement account", "merchant.outstanding": "Points outstanding",
  "merchant.ofCap": "cap {cap}", "merchant.feesEarned": "Fees earned", "merchant.feeCredit": "{credit} to withdraw",
  "merchant.swapsOut": "Swaps out", "merchant.swapsIn": "Swaps in", "merchant.issued": "Issued", "merchant.redeemed": "Redeemed", "merchant.holders": "holders: {n}",
  "merchant.issue": "Issue points", "merchant.holder": "User address", "merchant.points": "Points", "merchant.issueButton": "Issue",
  "merchant.sending": "Sending the transaction", "merchant.issued1": "Issued {amount} points to {who}.", "merchant.mined": "Mined in block {block}.", "merchant.pending": "Transaction {tx} is pending.",
  "merchant.redeem": "Redeem points", "merchant.redeemHelp": "Redeeming needs the holder's signed consent: prepare it, let the holder sign it in their wallet, then submit.",
  "merchant.prepareConsent": "Prepare consent", "merchant.consentAsk": "Ask the holder to sign this in their wallet and paste the signature below.", "merchant.consentDoc": "Show the consent (EIP-712)",
  "merchant.signHere": "Sign with this device's wallet", "merchant.holderSignature": "Holder's signature", "merchant.redeemButton": "Redeem", "merchant.redeemed1": "Redeemed {amount} points of {who}.",
  "merchant.current": "Current value", "merchant.fen": "fen", "merchant.allowed": "Allowed range", "merchant.interval": "Minimum interval", "merchant.seconds": "{n} s",
  "merchant.nextChange": "Next change allowed", "merchant.now": "now", "merchant.newValue": "New point value (fen per point)", "merchant.setValue": "Set value",
  "merchant.valueSet": "Point value changed from {old} to {now}.",
  "merchant.settlement": "Settlement account", "merchant.settlementHelp": "Settlement tokens here pay for the value users swap out of your program. When it runs low, swaps out are rejected.",
  "merchant.amountYuan": "Amount (yuan)", "merchant.deposit": "Deposit", "merchant.withdraw": "Withdraw",
  "merchant.depositDone": "Deposited {amount}; balance {balance}.", "merchant.withdrawDone": "Withdrew {amount}; balance {balance}.",
  "merchant.charts": "Over time", "merchant.chartVolume": "Swap value (out / in)", "merchant.chartFees": "Fees earned to date",
  "merchant.noChart": "Charts appear once there are swaps.", "merchant.controls": "Issuer keys and freezes", "merchant.issuers": "Issuer keys (all revoked when the operator key is rotated)", "merchant.noIssuers": "No issuer keys.", "merchant.frozen": "Frozen accounts", "merchant.noFrozen": "No frozen accounts.", "merchant.frozenByMerchant": "frozen by the merchant", "merchant.frozenByGovernance": "frozen by the consortium (only a consortium vote lifts it)", "merchant.swaps": "Swaps in and out", "merchant.noSwaps": "No swaps yet.",
  "merchant.dir.in": "In", "merchant.dir.out": "Out",
  "auditor.intro": "Auditors replay the whole history on their own node, check every invariant and publish an attestation on chain.",
  "auditor.results": "Latest audit results", "auditor.noResults": "No audit has run here yet. Run tongdui audit to make a report.", "auditor.noAuditApi": "This server has no audit results endpoint.",
  "auditor.pass": "Passed", "auditor.fail": "Failed", "auditor.upTo": "up to block {block}", "auditor.digest": "History digest",
  "auditor.attestations": "Attestations on chain", "auditor.noAttestations": "No auditor has published an attestation yet.", "auditor.auditor": "Auditor",
  "auditor.statements": "Statements", "auditor.download": "Download {kind}", "auditor.statsFallback": "The audit statements endpoint is not available; these are each merchant's statistics.",
  "auditor.range": "blocks {from} – {to}, {events} events", "auditor.reportHash": "Report hash", "auditor.attested": "Attested on chain",
  "auditor.latestOf": "this auditor's latest", "auditor.digestTitle": "History digest", "auditor.head": "head",
  "auditor.digestHelp": "The history digest is a hash chain over every platform event. Recomputed on any node it is the same; compare it with the report and the attestations.",
  "auditor.atBlock": "Up to block (empty: the head)", "auditor.compute": "Recompute digest", "auditor.replaying": "Replaying the history",
  "auditor.blockHash": "Block hash", "auditor.events": "Events", "auditor.vsReport": "Against the report", "auditor.matches": "matches", "auditor.differs": "differs",
  "auditor.consortiumStatement": "Consortium statement", "auditor.statementHelp": "Statements come from the auditor's replay: issued, redeemed, swapped out and in, fees and net position. Days are counted in China time (UTC+8); leave the dates empty for the whole history.",
  "auditor.fromDate": "From date", "auditor.toDate": "To date", "auditor.downloaded": "Downloaded {name} (blocks {from} – {to})", "auditor.reconciles": "opening and closing reconcile",
  "consortium.title": "the consortium", "consortium.members": "Members", "consortium.threshold": "Threshold", "consortium.merchants": "Merchants",
  "consortium.open": "Open proposals", "consortium.proposals": "Proposals", "consortium.noProposals": "No proposals yet.", "consortium.untitled": "(untitled)",
  "consortium.proposedBy": "proposed by {who}", "consortium.approvals": "{n} approvals, {m} needed", "consortium.calls": "{n} calls",
  "proposal.open": "Open", "proposal.executed": "Executed", "proposal.cancelled": "Cancelled", "proposal.expired": "Expired", "proposal.none": "None",
  "consortium.cancelThreshold": "Cancel threshold", "consortium.votingPeriod": "Voting period", "consortium.days": "{n} days",
  "consortium.openUntil": "open until {when}", "consortium.expiredAt": "expired {when}",
  "consortium.cancelVotes": "{n} cancel votes, {m} needed", "consortium.votedCancel": "voted to cancel",
  "state.cancelled": "Cancelled",
  "swap.feeCharged": "Fee", "swap.rounding": "Rounding", "swap.roundingHint": "value below one {symbol} cannot become points and joins the fee",
  "swap.feeAndRounding": "Fee (rounding included)", "swap.cost": "{amount} in all, {pct} of the value",
  "swap.lossless": "Swap {amount} {from} instead: you get {out} {to} and lose nothing to rounding.", "swap.lessLoss": "Swap {amount} {from} instead: you get {out} {to} and lose only {rounding} to rounding.",
  "swap.useAmount": "Use {amount}",
  "swap.why.amount": "Enter the amount to swap first.", "swap.why.quoting": "Getting a quote; one moment.", "swap.why.quoteFailed": "No valid quote (the reason is above), so nothing to sign.",
  "swap.why.notEnough": "Not enough points to sign this swap.", "swap.why.minZero": "At this price tolerance the minimum received is 0 points; enter more.", "swap.why.busy": "The last order is still being sent.",
  "gift.zeroAddress": "Points cannot be gifted to the zero address (0x000…000): they could never be recovered.", "gift.received": "Gift submitted: {value} {symbol} to {to}",
  "gift.failed": "The gift of {value} {symbol} to {to} did not go through:", "gift.why.busy": "The gift is being sent; one moment.",
  "scope.issue": "issue", "scope.redeem": "redeem", "scope.value": "point value", "scope.funds": "funds", "scope.read": "read",
  "merchant.limited": "This key has some scopes only; the page shows just the forms it can use.", "merchant.why.tooSoon": "Changed too recently: the next change is allowed at {when}.",
  "merchant.why.sending": "The last transaction is still being sent.", "merchant.why.checking": "Checking the key.", "merchant.operatorHolds": "Operator account can deposit: {amount}",
  "check.invariant-1": "Σ balances = total supply; supply = issued − redeemed", "check.invariant-2": "swaps conserve settlement value; the exchange holds Σ accounts + credits",
  "check.invariant-3": "fee shares credited = fees charged; withdrawals ≤ credit", "check.invariant-4": "an order executes at most once, never expired or cancelled",
  "check.invariant-5": "every value on the chain is rebuilt from events alone", "check.database": "the indexer database equals the replay", "check.statement": "a clearing statement equals the one rebuilt from the chain",
};

// ─── error codes: every code the API can answer (tests/backend/test_web_messages.py walks
// them all), in both languages. {name} takes the error's details, formatted by ui.js.
const zhCodes = {
  NETWORK: "无法连接服务器，请检查网络后重试。",
  NO_WALLET: "未检测到浏览器钱包。", WALLET_REJECTED: "您在钱包中拒绝了签名。", WALLET_ERROR: "钱包出错了，请重试。", NO_ACCOUNT: "钱包没有提供账户。",
  ORDER_EXPIRED: "订单已过期，请重新签名。", NONCE_USED: "这笔订单已执行过或已被撤销，不能再执行。如需兑换，请重新下单。",
  ORDER_CANCELLED: "这笔订单已撤销（您撤销了它，或在签名后撤销了全部订单），不会执行。如仍需兑换，请重新下单。",
  INVALID_SIGNER: "签名与订单所有人不符，请用该钱包签名。", INVALID_SIGNATURE: "签名无效（v 须为 27/28 或 0/1，s 须在低半区），请重新签名。",
  SAME_TOKEN: "请选择两个不同的积分项目。", ZERO_AMOUNT: "数量必须大于零。",
  ZERO_OUTPUT: "数量太少，换不到一个目标积分。请加大数量。", UNKNOWN_MARKET: "该积分不是积分通兑的项目。",
  MARKET_INACTIVE: "该积分项目已暂停，暂时不能兑换。",
  INSUFFICIENT_OUTPUT: "按当前价格，换得的积分少于您设定的最少数量。请重新报价。",
  INSUFFICIENT_COVER: "转出方商户的清算账户余额不足，暂时无法完成这笔兑换。请减少数量或稍后再试。",
  INSUFFICIENT_BALANCE: "积分余额不足。", ERC20_INSUFFICIENT_BALANCE: "积分余额不足。",
  ERC20_INSUFFICIENT_ALLOWANCE: "授权额度不足，请先授权。", ERC20_INVALID_RECEIVER: "接收地址无效：不能转给零地址。",
  ERC20_INVALID_SENDER: "转出地址无效。", ERC20_INVALID_APPROVER: "授权地址无效。", ERC20_INVALID_SPENDER: "被授权地址无效。",
  USER_LIMIT_EXCEEDED: "这笔兑换会超出您的兑换限额；限额会随时间逐步恢复，请减少数量或稍后再试。", ACCOUNT_FROZEN: "该账户已被冻结。",
  ENFORCED_PAUSE: "联盟已暂停该合约。", EXPECTED_PAUSE: "合约未处于暂停状态，无法执行此操作。",
  WRONG_CHAIN: "订单签名所用的链与本服务不符，请切换网络后重新签名。", WRONG_DOMAIN: "订单签名所用的合约与本服务不符，请刷新后重新签名。",
  WRONG_COUNTER: "订单计数器与链上不符，请刷新后重新签名。", NOT_YET_VALID: "该授权尚未生效。", EXPIRED: "签名已过期，请重新签名。",
  AUTHORIZATION_USED: "该转赠授权已使用过，请重新签名。", CAP_EXCEEDED: "发放后将超过本商户的发行上限。", ISSUANCE_SUSPENDED: "本商户已暂停，不能发放积分。",
  VALUE_STEP_TOO_LARGE: "调整幅度超过联盟允许的最大步长。", VALUE_CHANGE_TOO_SOON: "距上次调整时间太短，请稍后再调。",
  INVALID_POINT_VALUE: "积分价值必须是大于零的整数（分）。",
  INSUFFICIENT_SETTLEMENT_BALANCE: "清算账户余额不足。",
  INSUFFICIENT_SETTLEMENT_TOKENS: "商户操作账户只有 {balance} 清算币，不够存入 {needed}。请联系清算成员向操作账户发行清算币。",
  NOTHING_TO_WITHDRAW: "没有可提取的余额。",
  UNAUTHORIZED: "API 密钥无效或已吊销。", FORBIDDEN: "该密钥不属于此商户，或没有此项权限。",
  MERCHANT_KEY_MISSING: "后端未持有本商户的操作密钥。", NOT_MERCHANT_ADMIN: "只有本商户的操作密钥可以执行此操作。",
  ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT: "发送交易的账户没有所需的角色。", ACCESS_CONTROL_BAD_CONFIRMATION: "角色确认地址不符。",
  NOT_MERCHANT_OR_GOVERNANCE: "只有商户或联盟治理可以执行此操作。", NOT_OWNER: "只有订单所有人可以直接提交。",
  ONLY_EXCHANGE: "只有兑换合约可以执行此操作。", ONLY_REGISTRY: "只有商户登记合约可以执行此操作。", ONLY_SELF: "只能由合约自身（经治理表决）执行。",
  UNKNOWN_MERCHANT: "找不到该商户。", TOKEN_NOT_FOUND: "找不到该积分项目。", API_KEY_NOT_FOUND: "找不到该 API 密钥。",
  INVALID_SCOPE: "权限名称无效，可选：发放、核销、积分价值、清算资金、只读（或全部）。",
  INVALID_ADDRESS: "地址格式不对：应为 0x 开头的 40 位十六进制地址。", INVALID_CURSOR: "翻页位置无效，请从第一页重新加载。",
  EMPTY_PERIOD: "所选日期内没有区块。", NO_AUDIT_REPORT: "本服务还没有审计报告。",
  CHAIN_UNAVAILABLE: "区块链节点暂时无法连接，请稍后再试。", CHAIN_MOVED: "链在读取期间发生了变化，请重试。", RPC_ERROR: "区块链节点返回了错误，请稍后再试。",
  DEPLOYMENT_NOT_FOUND: "节点上没有积分通兑的部署，请联系运营方。", CONFIGURATION_ERROR: "服务配置有误，请联系运营方。",
  INTERNAL_ERROR: "服务器内部错误，请求未生效。", TONGDUI_ERROR: "请求未成功，请重试。", HTTP_ERROR: "请求未成功，请重试。",
  NOT_FOUND: "找不到所请求的内容。", METHOD_NOT_ALLOWED: "不支持这种请求方式。",
  SETTLEMENT_FAILED: "结算交易失败，订单未执行。", TRANSACTION_REVERTED: "链上交易被拒绝，未生效。请重新签名。",
  CONTRACT_REVERT: "合约拒绝了这次操作。", UNKNOWN_ERROR: "合约因未知原因拒绝了这次操作。", UNKNOWN: "找不到该证明。",
  MALFORMED_ORDER: "订单内容有误：{errors}。请刷新后重新下单。", MALFORMED_REQUEST: "请求内容有误：{errors}。请刷新后重试。",
  INVALID_REQUEST: "请求内容有误：{errors}",
  E_C_D_S_A_INVALID_SIGNATURE: "签名无效，请重新签名。", E_C_D_S_A_INVALID_SIGNATURE_LENGTH: "签名长度不对，请重新签名。",
  E_C_D_S_A_INVALID_SIGNATURE_S: "签名格式不合规（s 值过大），请重新签名。",
  E_R_C2612_EXPIRED_SIGNATURE: "签名已过期，请重新签名。", E_R_C2612_INVALID_SIGNER: "签名人与账户不符。",
  INVALID_ACCOUNT_NONCE: "账户序号不符，请重新签名。",
  ZERO_ADDRESS: "地址不能是零地址。", EMPTY_NAME: "名称不能为空。", STRING_TOO_LONG: "名称太长。", INVALID_SHORT_STRING: "名称格式无效。",
  INVALID_STATUS: "商户状态无效。", MARKET_ALREADY_LISTED: "该积分项目已上线。", FEE_TOO_HIGH: "手续费率超过上限。",
  INVALID_FEE_SHARES: "手续费分成之和必须为 100%。", INVALID_VALUE_BOUNDS: "积分价值调整规则无效。", LENGTH_MISMATCH: "订单与签名数量不一致。",
  ALREADY_APPROVED: "您已批准过该提案。", ALREADY_MEMBER: "该地址已是联盟成员。", NOT_MEMBER: "只有联盟成员可以执行此操作。",
  NOT_APPROVED: "您尚未批准该提案。", NOT_ENOUGH_APPROVALS: "批准人数未达门槛。", NOT_PROPOSER: "只有提议人可以撤回提案。",
  PROPOSAL_NOT_OPEN: "该提案已不在表决中。", UNKNOWN_PROPOSAL: "找不到该提案。", EMPTY_PROPOSAL: "提案至少要有一项调用。",
  INVALID_THRESHOLD: "通过门槛无效。", CALL_FAILED: "提案中的调用执行失败。",
  FUTURE_BLOCK: "不能为尚未产生的区块发布证明。",
  REENTRANCY_GUARD_REENTRANT_CALL: "合约拒绝了重入调用。", SAFE_CAST_OVERFLOWED_UINT_DOWNCAST: "数值超出范围。", SAFE_ERC20_FAILED_OPERATION: "代币转账失败。",
  UNKNOWN_CODE: "请求未成功（代码 {code}）。",
  // intake and API (issue 15, points 1–6)
  PAYLOAD_TOO_LARGE: "请求内容过大（超过 64 KiB），请只发送文档规定的字段。", INVALID_RECIPIENT: "不能转赠给零地址，请填写接收人的钱包地址。",
  TRANSACTION_NOT_FOUND: "节点上找不到这笔交易：它从未发出或已被丢弃，请核对交易哈希。",
  ORDER_VALUE_TOO_LOW: "订单金额低于交易所接受的最小订单，请一次兑换更多积分。",
  COUNTER_MISMATCH: "该撤销全部请求所签的计数器已过期，请重新签名。",
};

const enCodes = {
  NETWORK: "Cannot reach the server; check the connection and retry.",
  NO_WALLET: "No browser wallet found.", WALLET_REJECTED: "You declined the signature in your wallet.", WALLET_ERROR: "The wallet failed; try again.", NO_ACCOUNT: "The wallet shared no account.",
  ORDER_EXPIRED: "The order expired; sign a new one.", NONCE_USED: "This order was already carried out or cancelled; it cannot run again. Place a new order to swap.",
  ORDER_CANCELLED: "This order was cancelled (you cancelled it, or cancelled all your orders after signing it); it will not be carried out. Place a new order if you still want to swap.",
  INVALID_SIGNER: "The signature does not match the order's owner; sign it with that wallet.", INVALID_SIGNATURE: "The signature is not one the contract accepts (v must be 27/28 or 0/1, s in the low half); sign again.",
  SAME_TOKEN: "Choose two different programs.", ZERO_AMOUNT: "The amount must be greater than zero.",
  ZERO_OUTPUT: "The amount is too small to buy even one point of the target program; enter more.", UNKNOWN_MARKET: "That points token is not a program on Tongdui.",
  MARKET_INACTIVE: "That program is suspended; swaps in and out are paused.",
  INSUFFICIENT_OUTPUT: "The swap would give fewer points than your minimum; quote again.",
  INSUFFICIENT_COVER: "The source merchant's settlement account cannot cover this swap right now; try a smaller amount or later.",
  INSUFFICIENT_BALANCE: "Not enough points.", ERC20_INSUFFICIENT_BALANCE: "Not enough points.",
  ERC20_INSUFFICIENT_ALLOWANCE: "The allowance is too small; approve first.", ERC20_INVALID_RECEIVER: "Invalid recipient: points cannot go to the zero address.",
  ERC20_INVALID_SENDER: "Invalid sender address.", ERC20_INVALID_APPROVER: "Invalid approver address.", ERC20_INVALID_SPENDER: "Invalid spender address.",
  USER_LIMIT_EXCEEDED: "This swap would pass your swap limit; it recovers gradually, so swap less or wait a while.", ACCOUNT_FROZEN: "The account is frozen.",
  ENFORCED_PAUSE: "The consortium has paused this contract.", EXPECTED_PAUSE: "The contract is not paused, so this cannot be done.",
  WRONG_CHAIN: "The order was signed for another chain; switch networks and sign again.", WRONG_DOMAIN: "The order was signed for another contract; reload and sign again.",
  WRONG_COUNTER: "The order's counter differs from the chain's; reload and sign again.", NOT_YET_VALID: "The authorization is not valid yet.", EXPIRED: "The signature expired; sign again.",
  AUTHORIZATION_USED: "This gift authorization was already used; sign again.", CAP_EXCEEDED: "Issuing this would pass the merchant's issuance cap.", ISSUANCE_SUSPENDED: "The merchant is suspended and cannot issue points.",
  VALUE_STEP_TOO_LARGE: "The change is larger than governance's maximum step.", VALUE_CHANGE_TOO_SOON: "The point value was changed too recently; wait for the interval.",
  INVALID_POINT_VALUE: "A point value must be a whole number of fen above 0.",
  INSUFFICIENT_SETTLEMENT_BALANCE: "The settlement account holds less than that amount.",
  INSUFFICIENT_SETTLEMENT_TOKENS: "The merchant's operator account holds {balance} of sCNY, less than the {needed} to deposit. Ask a settlement member to mint sCNY to the operator account.",
  NOTHING_TO_WITHDRAW: "There is no credit to withdraw.",
  UNAUTHORIZED: "The API key is invalid or revoked.", FORBIDDEN: "This key belongs to another merchant or lacks this scope.",
  MERCHANT_KEY_MISSING: "The backend holds no operator key for this merchant.", NOT_MERCHANT_ADMIN: "Only the merchant's operator key may do this.",
  ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT: "The sending account lacks the role this needs.", ACCESS_CONTROL_BAD_CONFIRMATION: "The role confirmation does not match.",
  NOT_MERCHANT_OR_GOVERNANCE: "Only the merchant or the consortium may do this.", NOT_OWNER: "Only the order's owner may submit it directly.",
  ONLY_EXCHANGE: "Only the exchange contract may do this.", ONLY_REGISTRY: "Only the merchant registry may do this.", ONLY_SELF: "Only the contract itself (by a governance vote) may do this.",
  UNKNOWN_MERCHANT: "No such merchant.", TOKEN_NOT_FOUND: "No such program.", API_KEY_NOT_FOUND: "No such API key.",
  INVALID_SCOPE: "Unknown scope: choose from issue, redeem, value, funds, read (or all).",
  INVALID_ADDRESS: "That is not an address: 0x followed by 40 hex digits.", INVALID_CURSOR: "The page position is invalid; reload from the first page.",
  EMPTY_PERIOD: "No block falls in those dates.", NO_AUDIT_REPORT: "No audit report here yet.",
  CHAIN_UNAVAILABLE: "The blockchain node cannot be reached right now; try again later.", CHAIN_MOVED: "The chain changed while it was read; try again.", RPC_ERROR: "The blockchain node answered with an error; try again later.",
  DEPLOYMENT_NOT_FOUND: "Tongdui is not deployed on this node; ask the operator.", CONFIGURATION_ERROR: "The service is misconfigured; ask the operator.",
  INTERNAL_ERROR: "Something went wrong on our side; the request was not applied.", TONGDUI_ERROR: "The request did not succeed; try again.", HTTP_ERROR: "The request did not succeed; try again.",
  NOT_FOUND: "Not found.", METHOD_NOT_ALLOWED: "That kind of request is not supported here.",
  SETTLEMENT_FAILED: "The settlement transaction failed; the order did not run.", TRANSACTION_REVERTED: "The transaction was refused on chain and had no effect; sign again.",
  CONTRACT_REVERT: "The contract refused this.", UNKNOWN_ERROR: "The contract refused this for an unknown reason.", UNKNOWN: "No such attestation.",
  MALFORMED_ORDER: "The order is malformed: {errors}. Reload and place it again.", MALFORMED_REQUEST: "The request is malformed: {errors}. Reload and try again.",
  INVALID_REQUEST: "The request is invalid: {errors}",
  E_C_D_S_A_INVALID_SIGNATURE: "The signature is invalid; sign again.", E_C_D_S_A_INVALID_SIGNATURE_LENGTH: "The signature has the wrong length; sign again.",
  E_C_D_S_A_INVALID_SIGNATURE_S: "The signature is not in canonical form (s too large); sign again.",
  E_R_C2612_EXPIRED_SIGNATURE: "The signature expired; sign again.", E_R_C2612_INVALID_SIGNER: "The signer is not the account's owner.",
  INVALID_ACCOUNT_NONCE: "The account nonce does not match; sign again.",
  ZERO_ADDRESS: "The address cannot be the zero address.", EMPTY_NAME: "The name cannot be empty.", STRING_TOO_LONG: "The name is too long.", INVALID_SHORT_STRING: "The name is not valid.",
  INVALID_STATUS: "Invalid merchant status.", MARKET_ALREADY_LISTED: "That program is already listed.", FEE_TOO_HIGH: "The fee rate is above the maximum.",
  INVALID_FEE_SHARES: "The fee shares must add up to 100%.", INVALID_VALUE_BOUNDS: "Invalid point-value rules.", LENGTH_MISMATCH: "Orders and signatures differ in number.",
  ALREADY_APPROVED: "You already approved this proposal.", ALREADY_MEMBER: "That address is already a member.", NOT_MEMBER: "Only consortium members may do this.",
  NOT_APPROVED: "You have not approved this proposal.", NOT_ENOUGH_APPROVALS: "Not enough approvals yet.", NOT_PROPOSER: "Only the proposer may withdraw the proposal.",
  PROPOSAL_NOT_OPEN: "The proposal is no longer open.", UNKNOWN_PROPOSAL: "No such proposal.", EMPTY_PROPOSAL: "A proposal needs at least one call.",
  INVALID_THRESHOLD: "Invalid threshold.", CALL_FAILED: "A call in the proposal failed.",
  FUTURE_BLOCK: "An attestation cannot name a block that does not exist yet.",
  REENTRANCY_GUARD_REENTRANT_CALL: "The contract refused a reentrant call.", SAFE_CAST_OVERFLOWED_UINT_DOWNCAST: "A number is out of range.", SAFE_ERC20_FAILED_OPERATION: "A token transfer failed.",
  UNKNOWN_CODE: "The request did not succeed (code {code}).",
  // intake and API (issue 15, points 1–6)
  PAYLOAD_TOO_LARGE: "The request is larger than 64 KiB; send only the documented fields.", INVALID_RECIPIENT: "A gift cannot go to the zero address; enter the recipient's wallet address.",
  TRANSACTION_NOT_FOUND: "The node knows no such transaction: it was never sent or was dropped; check the hash.",
  ORDER_VALUE_TOO_LOW: "The order is worth less than the smallest order the exchange accepts; swap more points at once.",
  COUNTER_MISMATCH: "This cancel-all was signed for an old counter; sign it again.",
};

// Request validation: pydantic's error types (the API sends `type` and `limits` with each
// problem) and the fields people fill in, so no pydantic English reaches a page.
const zhProblems = {
  missing: "必填", string_pattern_mismatch: "格式不对", int_parsing: "应为整数", int_type: "应为整数", int_from_float: "应为整数",
  greater_than: "应大于 {gt}", greater_than_equal: "应不小于 {ge}", less_than: "应小于 {lt}", less_than_equal: "应不大于 {le}",
  string_type: "应为文字", string_too_short: "太短", string_too_long: "太长", bool_parsing: "应为是或否", json_invalid: "不是有效的 JSON",
  date_parsing: "应为日期（年-月-日）", date_from_datetime_parsing: "应为日期（年-月-日）", value_error: "取值无效", extra_forbidden: "不认识这一项",
  literal_error: "取值不在可选范围内", enum: "取值不在可选范围内", other: "取值无效",
};
const enProblems = {
  missing: "required", string_pattern_mismatch: "has the wrong format", int_parsing: "must be a whole number", int_type: "must be a whole number", int_from_float: "must be a whole number",
  greater_than: "must be greater than {gt}", greater_than_equal: "must be at least {ge}", less_than: "must be less than {lt}", less_than_equal: "must be at most {le}",
  string_type: "must be text", string_too_short: "is too short", string_too_long: "is too long", bool_parsing: "must be true or false", json_invalid: "is not valid JSON",
  date_parsing: "must be a date (YYYY-MM-DD)", date_from_datetime_parsing: "must be a date (YYYY-MM-DD)", value_error: "is not valid", extra_forbidden: "is not a known field",
  literal_error: "is not one of the choices", enum: "is not one of the choices", other: "is not valid",
};
// a field's last name in the problem's location → words (digits-only patterns say so)
const zhFields = {
  amount: "数量", amountIn: "转出数量", minAmountOut: "最少获得", value: "数量", to: "接收地址", from: "转出方", holder: "用户地址", owner: "所有人",
  token: "积分项目", fromToken: "转出积分", toToken: "换入积分", signature: "签名", nonce: "订单编号", deadline: "有效期", counter: "订单计数器",
  validAfter: "生效时间", validBefore: "失效时间", word: "撤销范围", mask: "撤销范围", fromDate: "起始日期", toDate: "截止日期", fromBlock: "起始区块", toBlock: "截止区块",
  block: "区块", minBlock: "区块", limit: "条数", cursor: "翻页位置", chainId: "链", verifyingContract: "合约地址", scopes: "权限", body: "请求内容", other: "某一项",
};
const enFields = {
  amount: "Amount", amountIn: "Amount", minAmountOut: "Minimum received", value: "Amount", to: "Recipient", from: "Sender", holder: "User address", owner: "Owner",
  token: "Program", fromToken: "From", toToken: "To", signature: "Signature", nonce: "Order nonce", deadline: "Deadline", counter: "Order counter",
  validAfter: "Valid after", validBefore: "Valid before", word: "Cancel range", mask: "Cancel range", fromDate: "From date", toDate: "To date", fromBlock: "From block", toBlock: "To block",
  block: "Block", minBlock: "Block", limit: "Limit", cursor: "Page position", chainId: "Chain", verifyingContract: "Contract", scopes: "Scopes", body: "Request body", other: "A field",
};
const zhDigits = "应只含数字 0–9", enDigits = "must be digits 0–9 only";

for (const [code, text] of Object.entries(zhCodes)) zh[`code.${code}`] = text;
for (const [code, text] of Object.entries(enCodes)) en[`code.${code}`] = text;
for (const [type, text] of Object.entries(zhProblems)) zh[`problem.${type}`] = text;
for (const [type, text] of Object.entries(enProblems)) en[`problem.${type}`] = text;
for (const [name, text] of Object.entries(zhFields)) zh[`field.${name}`] = text;
for (const [name, text] of Object.entries(enFields)) en[`field.${name}`] = text;
zh["problem.digits"] = zhDigits;
en["problem.digits"] = enDigits;

const DICTS = { zh, en };
let current = localStorage.getItem("tongdui.lang") || (navigator.language?.startsWith("zh") ? "zh" : "en");
if (!DICTS[current]) current = "zh";

export const lang = () => current;
export function setLang(value) {
  current = DICTS[value] ? value : "zh";
  localStorage.setItem("tongdui.lang", current);
}

export function t(key, vars = {}) {
  const text = DICTS[current][key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? "" : vars[name]));
}

/** True when the current language has a text for `key`. */
export const has = (key) => DICTS[current][key] !== undefined;

/** One validation problem of an INVALID_REQUEST ({field, type, limits}) in words. */
export function problemText(problem) {
  const name = String(problem.field || "").split(".").pop();
  const field = has(`field.${name}`) ? t(`field.${name}`) : t("field.other");
  const digits = problem.type === "string_pattern_mismatch" && /^\^\[0-9\]\+\$$/.test(problem.limits?.pattern || "");
  const type = digits ? "digits" : has(`problem.${problem.type}`) ? problem.type : "other";
  return `${field}${current === "zh" ? "" : " "}${t(`problem.${type}`, problem.limits || {})}`;
}

/** Elements with data-i18n get their text from the dictionary (the static shell). */
export function applyStatic(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
