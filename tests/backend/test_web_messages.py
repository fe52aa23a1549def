"""Every message the pages can show has both languages: each error code the backend can
produce (every member of the catalogue ``ErrorCode``, and the pages' own codes) and each
request-validation problem goes through the pages' own ``errorText``
(backend/web/static/ui.js) in Chinese and in English, run by Node as the browser runs it. A
code without a text, a Chinese text with English words in it, or pydantic's English reaching
a page fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tongdui.api.merchant_schemas import IssueRequest
from tongdui.api.problems import validation_problems
from tongdui.relayer.schemas import CancelIn, GiftIn, SwapOrderIn

from .error_codes import backend_error_codes

STATIC = Path(__file__).resolve().parents[2] / "backend" / "web" / "static"
NODE = shutil.which("node")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Latin that a Chinese sentence may carry: names of things, not English prose
ALLOWED_LATIN = {
    "API", "JSON", "sCNY", "tongdui", "TONGDUI_MERCHANT_KEYS", "EIP", "s", "x", "HTTP", "KiB"
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")

HARNESS = """
const store = {};
const getItem = (k) => store[k] ?? null;
globalThis.localStorage = { getItem, setItem: (k, v) => { store[k] = v; } };
if (!globalThis.navigator) globalThis.navigator = { language: "zh-CN" };
const i18n = await import(%(i18n)s);
const ui = await import(%(ui)s);
const input = JSON.parse(%(input)s);
const RAW = "RAW ENGLISH MESSAGE";
const out = {};
for (const lang of ["zh", "en"]) {
  i18n.setLang(lang);
  out[lang] = {
    codes: Object.fromEntries(input.codes.map((code) => [code, {
      known: i18n.has(`code.${code}`),
      text: ui.errorText({ code, details: {}, message: RAW }),
    }])),
    problems: input.problems.map((p) =>
      ui.errorText({ code: "INVALID_REQUEST", details: { errors: [p] }, message: RAW })),
  };
}
console.log(JSON.stringify(out));
"""


def page_texts(codes: list[str], problems: list[dict[str, Any]]) -> dict[str, Any]:
    """What the pages say for each code and each problem, in both languages."""
    if NODE is None:
        pytest.fail("node is missing: scripts/setup.sh installs it with the contracts' tools")
    script = HARNESS % {
        "i18n": json.dumps((STATIC / "i18n.js").as_uri()),
        "ui": json.dumps((STATIC / "ui.js").as_uri()),
        "input": json.dumps(json.dumps({"codes": codes, "problems": problems})),
    }
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def english_words(text: str) -> list[str]:
    return [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_LATIN]


def problems_of(model: type[BaseModel], data: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return validation_problems(error.errors())
    raise AssertionError(f"{model.__name__} accepted {data}")


def real_validation_problems() -> list[dict[str, Any]]:
    """Problems the API's own request models raise for what people mistype."""
    address, signature = "0x" + "ab" * 20, "0x" + "cd" * 65
    order = {
        "owner": address,
        "fromToken": address,
        "toToken": address,
        "amountIn": "12a",
        "minAmountOut": 1,
        "nonce": 1,
        "deadline": 1,
        "signature": signature,
    }
    gift = {"token": address, "from": address, "to": "0x12", "value": "x", "validBefore": 1}
    return [
        *problems_of(SwapOrderIn, order),
        *problems_of(SwapOrderIn, {**order, "amountIn": 1, "signature": "0x1"}),
        *problems_of(GiftIn, gift),
        *problems_of(CancelIn, {"owner": address}),
        *problems_of(IssueRequest, {"to": address, "amount": 0}),
        *problems_of(IssueRequest, {"to": address, "amount": "many"}),
        {"field": "query.amount", "problem": "String should match pattern '^[0-9]+$'",
         "type": "string_pattern_mismatch", "limits": {"pattern": "^[0-9]+$"}},
        {"field": "query.fromDate", "problem": "Input should be a valid date",
         "type": "date_from_datetime_parsing", "limits": {}},
        {"field": "body.somethingNew", "problem": "A type the pages have never seen",
         "type": "a_type_pydantic_adds_one_day", "limits": {}},
    ]  # fmt: skip


def test_every_error_code_the_backend_can_produce_has_a_chinese_and_an_english_text() -> None:
    codes = sorted(backend_error_codes())
    assert {"INSUFFICIENT_COVER", "ERC20_INVALID_RECEIVER", "ORDER_CANCELLED"} <= set(codes)
    texts = page_texts(codes, [])
    missing = {
        lang: [c for c, said in texts[lang]["codes"].items() if not said["known"]]
        for lang in ("zh", "en")
    }
    assert missing == {"zh": [], "en": []}
    for code, said in texts["zh"]["codes"].items():
        assert CJK.search(said["text"]), f"{code} in Chinese: {said['text']!r}"
        assert not english_words(said["text"]), f"{code} in Chinese: {said['text']!r}"
    for code, said in texts["en"]["codes"].items():
        assert not CJK.search(said["text"]), f"{code} in English: {said['text']!r}"
        if code != "INVALID_REQUEST":  # ours without field problems: its sentence is English
            assert "RAW ENGLISH MESSAGE" not in said["text"], code


def test_a_code_the_pages_do_not_know_never_shows_english_on_the_chinese_page() -> None:
    texts = page_texts(["A_CODE_ADDED_TOMORROW"], [])
    zh = texts["zh"]["codes"]["A_CODE_ADDED_TOMORROW"]["text"]
    assert CJK.search(zh) and "RAW ENGLISH" not in zh
    assert texts["en"]["codes"]["A_CODE_ADDED_TOMORROW"]["text"] == "RAW ENGLISH MESSAGE"


def test_validation_problems_are_said_in_the_page_language_without_pydantic_english() -> None:
    problems = real_validation_problems()
    texts = page_texts([], problems)
    said = zip(problems, texts["zh"]["problems"], texts["en"]["problems"], strict=True)
    for problem, zh, en in said:
        assert problem["problem"] not in zh and problem["problem"] not in en, problem
        assert not english_words(zh), f"{problem} in Chinese: {zh!r}"
        assert not CJK.search(en), en
    digits = texts["zh"]["problems"][-3]
    assert digits == "请求内容有误：数量应只含数字 0–9"
    assert texts["en"]["problems"][-3] == "The request is invalid: Amount must be digits 0–9 only"


def test_every_page_text_has_both_languages() -> None:
    """Each key the dictionary names (``"wallet.title": …``) exists in Chinese and English."""
    source = (STATIC / "i18n.js").read_text()
    keys = sorted(set(re.findall(r'"([a-z]+\.[A-Za-z0-9.\-]+)":', source)))
    script = (
        "const store = {};"
        "globalThis.localStorage = { getItem: (k) => store[k] ?? null, setItem() {} };"
        'if (!globalThis.navigator) globalThis.navigator = { language: "zh-CN" };'
        f"const i18n = await import({json.dumps((STATIC / 'i18n.js').as_uri())});"
        f"const keys = {json.dumps(keys)};"
        "const missing = {};"
        'for (const lang of ["zh", "en"]) {'
        "  i18n.setLang(lang); missing[lang] = keys.filter((k) => !i18n.has(k)); }"
        "console.log(JSON.stringify(missing));"
    )
    assert NODE is not None
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(keys) > 200
    assert json.loads(done.stdout) == {"zh": [], "en": []}
