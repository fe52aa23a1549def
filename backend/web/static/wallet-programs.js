// The wallet page's programs card: every merchant's program, its point value and status,
// shown before and after connecting.
import { t } from "./i18n.js";
import { card, empty, h, yuan } from "./ui.js";

export function programsCard(merchants) {
  return card(t("wallet.programs"), merchants.length
    ? h("table", { class: "table" }, h("thead", {}, h("tr", {}, h("th", {}, t("col.program")), h("th", { class: "num" }, t("col.pointValue")), h("th", {}, t("col.status")))),
      h("tbody", {}, merchants.map((m) => h("tr", {}, h("td", {}, m.name, " ", h("small", {}, m.symbol)), h("td", { class: "num" }, yuan(m.pointValue)), h("td", {}, t(`status.${m.status}`))))))
    : empty(t("wallet.noPrograms")));
}
