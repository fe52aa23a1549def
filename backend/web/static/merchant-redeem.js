// The merchant page's redemption desk (scope `redeem`): the holder's QR code, pasted or scanned
// with the camera (BarcodeDetector, where the browser has it), is checked here for its shape
// and deadline, then posted to …/vouchers/redeem, which redeems it on chain.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { errorBox, field, fill, gate, h, kv, loading, short } from "./ui.js";
import { parseRedemption } from "./voucher-eip712.js";
/** @import { Answer } from "./api-types.js" */

const SCAN_MS = 250;

/** True when this browser can read QR codes from the camera. */
export const canScan = () => "BarcodeDetector" in window && Boolean(navigator.mediaDevices?.getUserMedia);

/**
 * @param {HTMLElement} part
 * @param {(p: string) => string} path
 * @param {() => Record<string, string>} headers
 * @param {() => void} [onRedeemed] refreshes the product counts
 */
export function redeemDesk(part, path, headers, onRedeemed) {
  const payload = h("textarea", { name: "payload", rows: 3, spellcheck: "false", placeholder: t("desk.pasteHint"), testid: "desk-payload" });
  const preview = h("div", { testid: "desk-preview" });
  const result = h("div", { testid: "desk-result" });
  const camera = h("div", { class: "camera" });
  const submit = h("button", { type: "submit", class: "primary", testid: "desk-redeem" }, t("desk.redeem"));
  const submitGate = gate(submit, "desk-why");
  let stopScan = () => {};

  function check() {
    const text = payload.value.trim();
    if (!text) { fill(preview); submitGate.set(t("desk.why.empty")); return null; }
    const parsed = parseRedemption(text);
    if (!parsed) { fill(preview, h("p", { class: "state error", testid: "desk-invalid" }, t("desk.invalid"))); submitGate.set(t("desk.invalid")); return null; }
    const left = Number(parsed.redemption.deadline) - Math.floor(Date.now() / 1000);
    fill(preview, kv([
      [t("desk.voucher"), `#${parsed.redemption.voucherId}`, "desk-voucher"],
      [t("desk.holder"), h("code", { class: "mono", title: parsed.redemption.holder }, short(parsed.redemption.holder))],
      [t("desk.validFor"), left > 0 ? t("vouchers.countdown", { seconds: left }) : t("desk.lapsed")],
    ]));
    submitGate.set(left > 0 ? null : t("desk.lapsed"));
    return left > 0 ? parsed : null;
  }

  async function onSubmit(event) {
    event?.preventDefault();
    const body = check();
    if (!body) return;
    submitGate.set(t("merchant.why.sending"));
    fill(result, loading(t("merchant.sending")));
    try {
      /** @type {Answer<"POST /merchants/{token}/vouchers/redeem">} */
      const answer = await api.post(path("/vouchers/redeem"), body, headers());
      const done = answer.state === "redeemed";
      fill(result, h("p", { class: done ? "state ok" : "state loading", testid: "desk-done" },
        t(done ? "desk.redeemed" : "desk.pending", { id: body.redemption.voucherId, tx: short(answer.txHash) })));
      if (done) { payload.value = ""; fill(preview); }
      onRedeemed?.();
    } catch (error) {
      fill(result, errorBox(error));
    } finally {
      check();
    }
  }

  async function scan() {
    stopScan();
    const video = /** @type {HTMLVideoElement} */ (h("video", { playsinline: true, muted: true, class: "scan-video", testid: "desk-video" }));
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      fill(camera, h("p", { class: "state error" }, t("desk.noCamera"), " ", String(error?.message || "")));
      return;
    }
    const Detector = /** @type {any} */ (window).BarcodeDetector;
    const detector = new Detector({ formats: ["qr_code"] });
    let running = true;
    stopScan = () => { running = false; for (const track of stream.getTracks()) track.stop(); fill(camera); };
    video.srcObject = stream;
    fill(camera, video, h("button", { type: "button", class: "link", onclick: () => stopScan() }, t("desk.stopScan")));
    await video.play().catch(() => {});
    while (running && part.isConnected) {
      try {
        const codes = await detector.detect(video);
        const found = codes.find((c) => parseRedemption(c.rawValue));
        if (found) { payload.value = found.rawValue; stopScan(); onSubmit(); return; }
      } catch { /* a frame not ready yet */ }
      await new Promise((r) => setTimeout(r, SCAN_MS));
    }
    stopScan();
  }

  payload.addEventListener("input", check);
  fill(part, h("form", { class: "form", onsubmit: onSubmit, testid: "desk-form" },
    h("p", { class: "muted small" }, t("desk.help")),
    field(t("desk.payload"), payload),
    canScan() ? h("button", { type: "button", class: "secondary", testid: "desk-scan", onclick: scan }, t("desk.scan")) : h("small", { class: "muted", testid: "desk-no-scan" }, t("desk.noScanner")),
    camera, preview, h("div", { class: "row buttons" }, submit, submitGate.why), result));
  check();
}
