// The shell: picks the page from the URL (#/wallet, /app/merchant …), switches language and
// re-renders the current page when it changes.
import { applyStatic, lang, setLang, t } from "./i18n.js";
import { errorBox, fill, loading } from "./ui.js";

const PAGES = {
  wallet: () => import("./wallet.js"),
  merchant: () => import("./merchant.js"),
  auditor: () => import("./auditor.js"),
  consortium: () => import("./consortium.js"),
};

let cleanup = () => {};

function currentPage() {
  const fromHash = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  if (PAGES[fromHash]) return fromHash;
  const fromPath = location.pathname.match(/^\/app\/(\w+)/)?.[1];
  return PAGES[fromPath] ? fromPath : "wallet";
}

async function show() {
  const name = currentPage();
  const root = document.getElementById("page");
  for (const link of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#nav a"))) link.classList.toggle("active", link.dataset.page === name);
  document.title = `${t(`nav.${name}`)} · ${t("brand")}`;
  cleanup();
  cleanup = () => {};
  fill(root, loading());
  try {
    const module = await PAGES[name]();
    root.dataset.page = name;
    cleanup = module.render(root) || (() => {});
  } catch (error) {
    fill(root, errorBox(error));
  }
}

function refreshLanguage() {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  const button = document.getElementById("lang");
  button.textContent = lang() === "zh" ? "EN" : "中文";
  button.title = lang() === "zh" ? "Switch to English" : "切换到中文";
  applyStatic(document);
}

document.getElementById("lang").addEventListener("click", () => {
  setLang(lang() === "zh" ? "en" : "zh");
  refreshLanguage();
  show();
});
window.addEventListener("hashchange", show);
refreshLanguage();
show();
