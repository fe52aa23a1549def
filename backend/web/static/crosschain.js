// The wallet page's cross-chain card (issue 17): the user's points on this chain (A) for the
// bridge member's points on the other consortium's chain (B), locked under one hashlock on
// both. The wallet signs two documents, the HTLC's Lock and the token's permit: the relayer
// submits them, so the user pays no gas on either chain. The secret is made here and kept in
// this browser (localStorage) until the swap is claimed; it is sent to the API only once the
// bridge member's points are locked for the user on B. Both legs' status is shown live.
import { api } from "./api.js";
import { randomBytes32 } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { card, errorBox, field, fill, h, num, short } from "./ui.js";

const DOMAIN_FIELDS = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
];
const LOCK_FIELDS = [
  { name: "token", type: "address" },
  { name: "sender", type: "address" },
  { name: "receiver", type: "address" },
  { name: "amount", type: "uint256" },
  { name: "hashlock", type: "bytes32" },
  { name: "timelock", type: "uint64" },
  { name: "counterpartTimelock", type: "uint64" },
  { name: "deadline", type: "uint256" },
];
const PERMIT_FIELDS = [
  { name: "owner", type: "address" },
  { name: "spender", type: "address" },
  { name: "value", type: "uint256" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];
const ENDS = new Set(["claimed_a", "refunded_a", "failed"]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const storeKey = (address) => `tongdui.xc.${address.toLowerCase()}`;

function kept(address) {
  try { return JSON.parse(localStorage.getItem(storeKey(address)) || "{}"); } catch { return {}; }
}
function keep(address, id, secret) {
  const all = kept(address);
  if (secret) all[id] = secret; else delete all[id];
  localStorage.setItem(storeKey(address), JSON.stringify(all));
}

/** sha256 of the 32-byte secret, as the contract's sha256(abi.encodePacked(preimage)). */
async function hashlockOf(secret) {
  const bytes = Uint8Array.from(secret.slice(2).match(/../g), (b) => parseInt(b, 16));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `0x${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function lockTypedData(answer, hashlock) {
  const q = answer.quote;
  return {
    types: { EIP712Domain: DOMAIN_FIELDS, Lock: LOCK_FIELDS },
    primaryType: "Lock",
    domain: { name: "Tongdui HTLC", version: "1", chainId: String(answer.chainA), verifyingContract: answer.htlcA },
    message: {
      token: q.tokenA, sender: q.user, receiver: q.bridgeA, amount: String(q.amountIn), hashlock,
      timelock: String(q.timelockA), counterpartTimelock: "0", deadline: String(answer.lockDeadline),
    },
  };
}

function permitTypedData(answer) {
  const q = answer.quote;
  return {
    types: { EIP712Domain: DOMAIN_FIELDS, Permit: PERMIT_FIELDS },
    primaryType: "Permit",
    domain: { name: answer.permit.name, version: "1", chainId: String(answer.chainA), verifyingContract: q.tokenA },
    message: { owner: q.user, spender: answer.permit.spender, value: String(q.amountIn), nonce: String(answer.permit.nonce), deadline: String(answer.lockDeadline) },
  };
}

function splitSignature(signature) {
  const raw = signature.slice(2);
  let v = parseInt(raw.slice(128, 130), 16);
  if (v < 27) v += 27;
  return { v, r: `0x${raw.slice(0, 64)}`, s: `0x${raw.slice(64, 128)}` };
}

/** The card, for a connected session (`page.state.address`); empty when there is no bridge. */
export function crossChainCard(page) {
  const { state } = page;
  const box = h("div", { testid: "xc-card" });
  const section = card(t("xc.title"), box);
  section.hidden = true;

  async function load() {
    let bridge;
    try { bridge = await api.get("/crosschain/bridge"); } catch (error) {
      if (error.code === "CROSSCHAIN_OFF" || error.status === 404) return; // no bridge here
      section.hidden = false;
      fill(box, errorBox(error, load));
      return;
    }
    section.hidden = false;
    showForm(bridge);
    for (const [id, secret] of Object.entries(kept(state.address))) watch(Number(id), secret, bridge); // a swap this browser started before
  }

  function showForm(bridge) {
    const amount = h("input", { name: "amount", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "xc-amount" });
    const result = h("div", { testid: "xc-result" });
    const intro = h("p", { class: "lead" }, t("xc.intro", {
      from: bridge.symbolA, to: bridge.symbolB, chainA: bridge.chainA, chainB: bridge.chainB,
      bridge: short(bridge.bridge), spread: (bridge.spreadBps / 100).toString(), margin: bridge.marginSeconds,
    }));
    async function onQuote(event) {
      event.preventDefault();
      const value = Number(amount.value);
      if (!Number.isInteger(value) || value <= 0) { fill(result, h("p", { class: "state error", testid: "xc-error" }, t("code.ZERO_AMOUNT"))); return; }
      try {
        const answer = await api.post("/crosschain/quotes", { user: state.address, amountIn: value });
        showQuote(bridge, answer, result);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(box, intro, h("form", { class: "form", onsubmit: onQuote, testid: "xc-form" },
      field(t("xc.amount", { symbol: bridge.symbolA }), amount),
      h("button", { type: "submit", class: "primary", testid: "xc-quote" }, t("xc.getQuote")), result));
  }

  function showQuote(bridge, answer, result) {
    const q = answer.quote;
    async function onSign() {
      fill(result, h("p", { class: "state loading" }, t("swap.signing")));
      try {
        const secret = randomBytes32();
        const hashlock = await hashlockOf(secret);
        const lockSignature = await wallet.signTypedData(state.address, lockTypedData(answer, hashlock));
        const permit = splitSignature(await wallet.signTypedData(state.address, permitTypedData(answer)));
        const swap = await api.post("/crosschain/swaps", {
          quote: q, quoteSignature: answer.signature, hashlock, lockSignature,
          permit: { deadline: answer.lockDeadline, ...permit },
        });
        keep(state.address, swap.id, secret);
        watch(swap.id, secret, bridge, result);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(result, h("div", { class: "quote", testid: "xc-quote-box" },
      h("p", {}, t("xc.quoted", { inn: num(q.amountIn), from: bridge.symbolA, out: num(q.amountOut), to: bridge.symbolB })),
      h("p", { class: "hint" }, t("xc.expires", { seconds: Math.max(0, q.expiry - Math.floor(Date.now() / 1000)) })),
      h("button", { type: "button", class: "primary", testid: "xc-sign", onclick: onSign }, t("xc.sign"))));
  }

  function legRow(name, leg, symbol) {
    return h("li", { testid: `xc-leg-${name}` },
      t(`xc.leg${name}`, { chain: leg.chainId }), " ", h("span", { class: `badge ${leg.state}`, testid: `xc-leg-${name}-state` }, t(`xc.leg.${leg.state}`)),
      " ", `${num(leg.amount)} ${symbol}`, " · ", t("xc.lockId"), " ", h("code", { class: "mono", title: leg.lockId }, short(leg.lockId)));
  }

  async function watch(id, secret, bridge, into) {
    const target = into || h("div");
    if (!into) box.append(target);
    let revealed = false;
    while (state.alive) {
      let swap;
      try { swap = await api.get(`/crosschain/swaps/${id}`); } catch (error) {
        if (error.code === "CROSSCHAIN_SWAP_NOT_FOUND") { keep(state.address, id); return; }
        await sleep(1500);
        continue;
      }
      if (swap.state === "locked_b" && !revealed) {
        try { await api.post(`/crosschain/swaps/${id}/claim`, { secret }); revealed = true; } catch (error) { fill(target, errorBox(error)); }
      }
      const done = ENDS.has(swap.state);
      fill(target, h("div", { class: "xc-swap", testid: "xc-swap" },
        h("p", { testid: "xc-state" }, t(`xc.state.${swap.state}`), " ", h("small", { class: "hint" }, t("xc.hashlock"), " ", h("code", { class: "mono", title: swap.hashlock }, short(swap.hashlock)))),
        h("ul", { class: "legs" }, legRow("A", swap.legs.A, bridge.symbolA), legRow("B", swap.legs.B, bridge.symbolB)),
        done ? h("p", { class: swap.state === "claimed_a" ? "state ok" : "state error", testid: "xc-final" }, t(`xc.end.${swap.state}`)) : null));
      if (done) {
        keep(state.address, id);
        page.loadBalances?.();
        return;
      }
      await sleep(1000);
    }
  }

  load();
  return section;
}
