"""Channel lexicon: where a normalized text names a contact channel, asks for it, or refuses it.

All patterns run on the output of :func:`jobrisk.normalize.normalize` (lower case, NFKC,
canonical channel names). They feed three things: the lexicon features of the model, the
``channels`` and ``evidence`` of a prediction, and nothing else: the decision is the model's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .normalize import KATAKANA_NAMES, LATIN_NAMES
from .patterns import KATAKANA, alternation, containing, word

__all__ = ["CHANNELS", "EUPHEMISM_RE", "ChannelHit", "find_channel_hits", "sentence_bounds"]

CHANNELS: tuple[str, ...] = (
    "line", "chatwork", "slack", "discord", "telegram", "skype", "whatsapp", "email", "phone",
    "instagram", "x", "tiktok", "facebook", "video_call", "external_form", "external_site",
    "other",
)


EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
PHONE_RE = re.compile(  # the lookbehinds follow the first character (see patterns.word)
    r"0(?<![\d-]0)\d{1,4}-?\d{1,4}-?\d{3,4}(?![\d-])|\+(?<!\d\+)81[- ]?\d{1,4}[- ]?\d{1,4}[- ]?\d{3,4}"
)
# A bare host ends at its top-level domain: logo.jpg, errors.CommandInvokeError are no links.
URL_RE = re.compile(
    r"(?:https?://|www\.)[a-z0-9./?=&%#_~:+-]+"
    r"|\b[a-z0-9-]+\.(?:com|jp|net|org|me|gg|ee|io|co\.jp)(?![a-z0-9])(?:/[a-z0-9./?=&%#_~-]*)?"
)
# (?:(?<![a-z])id|(?<=line)id|アイディー|…)HANDLE | (?<![a-z0-9.])@…, written with a literal first
# character in every alternative (patterns.alternation), so the engine skips the other positions.
HANDLE_VALUE = r"[@＠]?[a-z0-9][a-z0-9._-]{2,}"  # the ID itself, after its label
_HANDLE_AFTER = r"\s*[:：は]?\s*[「『]?" + HANDLE_VALUE
HANDLE_RE = re.compile(
    alternation(
        *(f"{label}{_HANDLE_AFTER}" for label in (
            "i(?:(?<![a-z]i)|(?<=linei))d", "アイディー", "アカウント名", "ユーザー名", "ユーザーネーム",
        )),
        r"@(?<![a-z0-9.]@)[a-z0-9_][a-z0-9._]{2,}(?![a-z0-9]*\.[a-z])",
    )
)

# Every alternative of a channel mention starts with one literal character: the regex engine
# then finds the positions where a mention can start in C, and patterns.alternation() groups the
# alternatives by that character (tests/test_lexicon.py checks both). Conditions on what comes
# before a word therefore sit after its first character (patterns.word): ``l(?<![a-z]l)ine`` is
# ``(?<![a-z])line``.


def _each(heads: tuple[str, ...], tail: str) -> tuple[str, ...]:
    """``(?:head1|head2|…)tail`` as one alternative per head (same matches, same order)."""
    return tuple(h + tail for h in heads)


# Euphemisms that stand for a channel name: channel mentions, and counted as disguised.
_EUPHEMISMS: dict[str, tuple[str, ...]] = {
    "line": (r"緑の(?:アプリ|メッセージアプリ|メッセンジャー|やつ|sns|チャット|アイコン|吹き出し|ふきだし)",),
    "telegram": (r"紙飛行機(?:の)?(?:アプリ|マーク|アイコン)",),
    "x": ("青い鳥", r"鳥の(?:マーク|アイコン|アプリ)"),
    "other": (r"いつもの(?:アプリ|sns|ところ)",),
    "email": ("電子の手紙", "eの手紙"),
}
# What may follow katakana ライン for it to be LINE: not 作業, ナップ, マーカー or any other katakana
# word (ラインナップ), except LINE's own compounds (ライングループ, ラインアカウント).
_LINE_KATAKANA_AFTER = (
    rf"(?:(?=グループ|アカウント|トーク|オープン|ペイ|アイディー)|(?!作業|工|生産|ナップ|上|引き|を引|マーカー|{KATAKANA}))"
)
_MEETINGS = ("面談", "面接", "mtg", "ミーティング", "打ち合わせ", "打合せ")

# Channel mentions, each a tuple of alternatives tried in order. ``ライン`` counts only as a
# standalone word (not オンライン, ガイドライン, ライン作業, 生産ライン, ラインナップ).
_CHANNEL_PATTERNS: dict[str, tuple[str, ...]] = {
    "line": (
        word("line", "[a-z]", after="(?=id|[^a-z]|$)"), r"lin\.ee", r"line\.me",
        word("ライン", KATAKANA, not_before=("生産", "製造", "組立"), after=_LINE_KATAKANA_AFTER),
        *_EUPHEMISMS["line"], "オープンチャット", "オプチャ",
        *_each(("友だち", "友達", "ともだち"), "(?:追加|登録|申請)"),
        r"qr(?:コード)?(?:を|から)?(?:読み取|読込|読み込|スキャン|参加|追加|友だち|友達|登録)",
    ),
    "chatwork": ("chatwork", "チャットワーク"),
    "slack": (word("slack", "[a-z]", after="(?![a-z])"),),
    "discord": ("discord", word("ディスコ", KATAKANA, after=f"(?:ード)?(?!{KATAKANA})"), r"discord\.gg"),
    "telegram": (
        "telegram", r"t\.me/", "テレグラム", word("tg", "[a-z0-9]", after="(?![a-z0-9_-])"), *_EUPHEMISMS["telegram"]
    ),
    "skype": ("skype", "スカイプ"),
    "whatsapp": ("whatsapp", r"wa\.me", "ワッツアップ"),
    "email": (
        word("e-?mail", "[a-z]"), "gmail", "メールアドレス", "メアド",
        word("メール", KATAKANA, after="(?!便|マガ|配信|マーケ|文面|テンプレ|対応|返信業務)"), "アドレス",
        *_EUPHEMISMS["email"],
    ),
    "phone": (
        "電話", "携帯番号", "携帯", "ケータイ", "tel(?![a-z])", "ショートメール", "ショートメッセージ", "sms",
        "通話アプリ", "着信", word("phone", "[a-z]", after="(?![a-z])"),
        # a number asked for on its own (not 登録番号 / 注文番号 / 会員番号: a word before it)
        word("番号", "[一-龯々ァ-ヺー]", after="を(?:教え|お知らせ|送)"),
    ),
    "instagram": (
        "instagram", word("インスタ", KATAKANA), word("insta", "[a-z]", after="(?![a-z])"),
        word("ig", "[a-z]", after="(?![a-z])"),
    ),
    "x": (
        "twitter", "ツイッター", "ツイート",
        word("x", "[a-z]", after=r"(?:\s*\(旧twitter\)|\s*dm|の?(?:dm|ポスト|固定|アカウント|プロフ))"),
        *_EUPHEMISMS["x"], "エックス",
    ),
    "tiktok": ("tiktok", "ティックトック", "ティクトク"),
    "facebook": (
        "facebook", "フェイスブック", "messenger", "メッセンジャー", word("fb", "[a-z]", after="(?![a-z])"),
    ),
    "video_call": (
        "zoom", "ズーム", r"google\s*meet", word("meet", "[a-z]", after="(?![a-z])"), "teams",
        "web面談", "web面接", "オンライン面談", "オンライン面接", "ビデオ通話", "ビデオ会議", "テレビ電話",
        "ビデオチャット",
        "オンラインmtg", "オンラインミーティング", "web会議", "webミーティング", "通話で面談", "カメラオン",
        *_each(_MEETINGS, r"[^。\n]{0,6}オンライン"),
        rf"オンライン[^。\n]{{0,6}}(?:{'|'.join(_MEETINGS)}|通話)",
    ),
    "external_form": (
        r"google\s*フォーム", "googleform", "google form", "グーグルフォーム", r"forms\.gle",
        r"docs\.google\.com/forms",
        *_each(
            ("応募", "エントリー", "申込", "申し込み", "登録", "問い合わせ", "お問い合わせ", "専用", "外部", "回答",
             "入力"),
            "フォーム",
        ),
        "フォームから", "フォームに", "typeform", r"tally\.so", "formrun",
    ),
    "external_site": (
        "https?://", r"www\.", "採用サイト", "公式サイト", "ホームページ", word("hp", "[a-z]", after="(?![a-z])"),
        "webサイト", "特設サイト", "ランディングページ", "詳細はこちら", "こちらのurl", "下記url", "以下のurl",
        "urlから", "リンクから", "notion", "プロフ(?:ィール)?(?:欄|の)?(?:リンク|url)",
    ),
    "other": (
        "signal", "シグナル", "kakao", "カカオ", "wechat", "ウィーチャット", "viber",
        word("lark", "[a-z]", after="(?![a-z])"), word("ラーク", KATAKANA, after=f"(?!{KATAKANA})"),
        r"google\s*chat", r"google\s*チャット", "グーグルチャット", "mattermost",
        "直接の?(?:お|ご)?(?:契約|取引|やり取り|やりとり|連絡)",
        "手数料(?:が|を)?(?:もったいない|かからない|節約|浮く|なし|高|取られ|抜かれ)", "外部(?:で|の)(?:やり取り|連絡)",
        "直で(?:頼|依頼|お願い|契約|やり取り|取引|連絡|払)", *_each(("サイト", "ここ"), "を(?:通さ|通すと|介さ)"),
        "中抜き",
        "直接(?:振込|振り込|支払|払い|お支払)", "仮払い(?:は|を)?(?:キャンセル|取り消|なし)",
        "仲介(?:なし|無し|抜き|を通さ)", *_each(("「外", "外"), "」?で(?:やり|取引|やりとり|やり取り|続き)"),
        *_EUPHEMISMS["other"], "サイト外", "プラットフォーム外", "個人的に(?:連絡|やり取り)",
        *_each(("記載", "下記", "以下", "こちら", "別途"), "の連絡先"),
        "連絡先(?:は|を)?(?:プロフ|こちら|下記|以下)",
        "連絡先(?:を|の)?(?:交換|教え|お教え|お知らせ|伺|頂|いただ|共有)",
        "プロフ(?:ィール)?(?:欄|ページ)?(?:を|に|の)?(?:必ず|一度|ぜひ|まず|よく)?(?:ご覧|見て|(?:ご)?確認|記載|書いて|書いてある|(?:ご)?参照)",
    ),
}

# A request to act: add, register, contact, send, apply, join, search, scan ... (these patterns,
# too, start every alternative with a literal character)
_REQUEST = (
    r"追加|登録|友だち|友達|ともだち|連絡|送って|送信|お送り|送付|ご送付|申請|検索|dm|話しま|移行|移動|"
    r"参加|招待|応募|エントリー|記入|入力|回答|アクセス|クリック|タップ|読み取|読込|スキャン|qr|"
    + word("id", "[a-z]", after="(?![a-z])")
    + r"|教えて|お知らせ|交換|やり取り|やりとり|面談|面接|通話|お電話|お願い|ください|下さい|"
    r"しましょう|しませんか|もらえ|できますか|いただけ|頂け|まで|こちら|から|にて|で行|で進|で対応|で実施|"
    r"お待ち|必須|条件|宛|へ|直接|"
    # English requests (add me on LINE, join our Slack, hmu on tg, call me)
    + "|".join(word(w, "[a-z]", after="(?![a-z])") for w in (
        "add", "contact", "join", "apply", "send", "reach", "ping", "hmu", "dm me", "text me", "call me",
        "message me", "email me", "hit me up", "let's", "lets", "please", "pls", "plz", "via",
    ))
)
REQUEST_RE = re.compile(alternation(_REQUEST))
# A refusal or prohibition: the text keeps contact on the platform. A negative question is an
# invitation, not a refusal (しませんか, できませんか, 交換しない?).
_NEGATION = (
    r"禁止|行いません|行っておりません|行っていません(?!か)|行なっていません(?!か)|実施していません(?!か)|実施しておりません|しません(?!か)|いたしません|致しません|できません(?!か)|できかねます|出来ません(?!か)|"
    r"必要ありません|必要はありません|ご遠慮|控え|遠慮|お断り|ありません(?!か)|ないです(?!か)|ございません|"
    r"サイト内|プラットフォーム内|こちらのメッセージ|メッセージ機能|メッセージ上|当サイト|"
    r"注意|規約|違反|通報|ではなく|なしで|不可|しない(?![?か])|使わない(?![?か])|使いません(?!か)|使えません(?!か)|使えない(?![?か])|持っていません|持っていない|持ってない(?![?か])|やっていません(?!か)|やってない(?![?か])|利用しません|不採用|対象外|"
    r"じゃないと(?:ダメ|だめ|いけない)|でないと(?:ダメ|だめ|いけない)|必須(?:ですか|でしょうか|なのでしょうか)|"
    r"必要(?:ですか|でしょうか)|なくて(?:大丈夫|構いません|結構)|いただかなくて|教えないで|載せないで|記載しないで|"
    r"交換はしない|お控え|削除|避けて|なりすまし|偽物|詐欺|答えないで|応じないで|従わないで|完結|"
    r"とありましたが|とありますが|と書いてありましたが|と書いてあったのですが|と書かれていましたが|と記載がありましたが|"
    + word("不要", not_before=("顔出し", "カメラ", "経験", "資格", "初期費用"))
    # English refusals and staying on the platform (don't share your LINE, keep it on the platform)
    + "|" + "|".join(word(w, "[a-z]", after="(?![a-z])") for w in (
        "don't", "don’t", "do not", "never", "not allowed", "prohibited", "forbidden", "won't", "will not",
        "no need", "on this platform", "on the platform", "through the platform", "via the platform",
        "within the platform", "here on",
    ))
)
NEGATION_RE = re.compile(alternation(_NEGATION))
# Right after a channel name: an act of contact (LINEで連絡 / LINEを追加 / メールにてご応募).
ACTION_RE = re.compile(
    r"[ \u3000]*(?:の|を|に|で|へ|から|まで|にて|経由で|より|宛|あて)?[ \u3000]*(?:お|ご)?(?:友だち|友達|ともだち)?"
    r"(?:追加|登録|連絡|送信|送って|送付|送り|申請|検索|参加|交換|招待|dm|メッセージ|話|相談|やり取り|やりとり|"
    r"移動|移行|応募|エントリー|問い合わせ|問合せ|面談|面接|通話|返信|返事|質問|id)"
)
# Near a channel name: the channel is the subject of the work (LINE公式アカウントの運用, Discord Bot 開発).
_TOPIC = (
    r"運用|制作|作成|代行|開発|施策|配信文|デザイン|記事|執筆|設計|構築|導入|分析|運営|編集|撮影|改善|スタンプ|広告|"
    r"マニュアル|連携|bot|api|リッチメニュー|文字起こし|議事録|翻訳|英訳|和訳|集計|入力作業|テンプレート|研修|講座|解説|比較|"
    r"文面|文案|自動返信|返信文|教材|告知"
)
TOPIC_RE = re.compile(alternation(_TOPIC))
EUPHEMISM_RE = re.compile("|".join(alt for alts in _EUPHEMISMS.values() for alt in alts))
# A URL or site shown as a reference or portfolio, not as a place to go and apply.
REFERENCE_RE = re.compile(r"参考|参照|ポートフォリオ|実績|作品例|イメージ|事例|サンプル")
# A URL of a file or a shared document (a spec, a sheet, a design, a repository): material for the
# work, not a place to go and talk.
DOCUMENT_URL_RE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|csv|txt|zip|png|jpe?g|gif|mp4|mp3|wav)(?:[?#][^/]*)?$"
    r"|drive\.google\.com/(?:file|drive)|docs\.google\.com/(?:document|spreadsheets|presentation)"
    r"|figma\.com/(?:file|design)|github\.com/"
)
# A whole channel mention that is the name of an app or service (not a phrase such as 友だち追加 or
# 直接契約): the model's context view reads a placeholder for it (features.JobRiskFeatures).
_OTHER_SERVICE_NAMES = (  # beside the normalizer's canonical Latin and ordinary katakana names
    "insta", "ig", "twitter", "x", "messenger", "fb", "zoom", "teams", "meet", "kakao", "wechat", "viber",
    "lark", "mattermost", "notion",
    "エックス", "ティクトク", "メッセンジャー", "シグナル", "カカオ", "ウィーチャット", "ラーク", "グーグルチャット",
)
SERVICE_NAME_RE = re.compile(
    "|".join(sorted({*LATIN_NAMES, *KATAKANA_NAMES, *_OTHER_SERVICE_NAMES}, key=lambda n: (-len(n), n)))
    + r"|google\s*(?:meet|chat|チャット)"
)
# A sentence: a run of characters other than 。！？!? and line breaks.
_SENTENCE = re.compile(r"[^。！？!?\n]+")

# One alternation of every channel's alternatives, in order; an empty group closing each one names
# the channel that matched (``m.lastgroup``).
_GROUP_CHANNEL = {
    f"{name}_{i}": name for name, alts in _CHANNEL_PATTERNS.items() for i in range(len(alts))
}
_CHANNEL_RE = re.compile(
    alternation(
        *(f"{alt}(?P<{name}_{i}>)" for name, alts in _CHANNEL_PATTERNS.items() for i, alt in enumerate(alts))
    )
)


class ChannelHit(NamedTuple):
    """A channel named or contact data shown in a normalized text (``[start, end)`` offsets)."""

    channel: str
    start: int
    end: int
    contact: str = ""  # for contact data itself: "email", "phone", "url" or "handle"


# Contact data patterns with the substrings a match must contain (checked first: far cheaper).
_CONTACT_PATTERNS: tuple[tuple[Callable[[str], bool] | None, re.Pattern[str], str], ...] = (
    (containing("@"), EMAIL_RE, "email"),
    (None, PHONE_RE, "phone"),
    (containing(".", "://"), URL_RE, "url"),
    (containing("id", "アイディー", "アカウント名", "ユーザー名", "ユーザーネーム", "@"), HANDLE_RE, "handle"),
)


# Links to the freelance platforms' own pages (a posting, a service, a profile): no place outside.
PLATFORM_URL_RE = re.compile(
    r"(?:https?://)?(?:[a-z0-9-]+\.)*(?:crowdworks\.jp|lancers\.jp|coconala\.com|shufti\.jp|bizseek\.jp)"
    r"(?![a-z0-9])(?:/[a-z0-9./?=&%#_~-]*)?"
)
MAY_NAME_PLATFORM = containing("crowdworks", "lancers", "coconala", "shufti", "bizseek")

_CONTACT_CHANNEL = {"email": "email", "phone": "phone", "handle": "other"}  # a URL: by its host


def find_channel_hits(text: str) -> list[ChannelHit]:
    """Every channel mention and piece of contact data in a normalized text, in order."""
    hits = [ChannelHit(_GROUP_CHANNEL[m.lastgroup or ""], *m.span()) for m in _CHANNEL_RE.finditer(text)]
    named = len(hits)  # in text order already: one scan finds them left to right
    emails: list[tuple[int, int]] = []
    for hint, regex, kind in _CONTACT_PATTERNS:
        if hint is not None and not hint(text):
            continue
        for m in regex.finditer(text):
            if kind == "email":
                emails.append(m.span())
            elif any(a < m.end() and m.start() < b for a, b in emails):
                continue  # the domain or local part of an e-mail address, not a URL or handle
            channel = _CONTACT_CHANNEL.get(kind) or _url_channel(m.group(0))
            hits.append(ChannelHit(channel, m.start(), m.end(), kind))
    if len(hits) > named:
        hits.sort(key=lambda h: (h.start, -h.end))
    if hits and "." in text and MAY_NAME_PLATFORM(text):  # a link to the platform's own pages keeps the reader there
        links = [m.span() for m in PLATFORM_URL_RE.finditer(text)]
        hits = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in links)]
    return hits


_URL_CHANNELS = (
    ("lin.ee", "line"), ("line.me", "line"), ("discord", "discord"), ("t.me", "telegram"),
    ("wa.me", "whatsapp"), ("forms.gle", "external_form"), ("docs.google.com/forms", "external_form"),
    ("zoom.us", "video_call"), ("meet.google", "video_call"), ("teams.microsoft", "video_call"),
    ("chatwork", "chatwork"), ("slack", "slack"), ("instagram", "instagram"), ("tiktok", "tiktok"),
    ("facebook", "facebook"), ("m.me", "facebook"), ("twitter", "x"), ("x.com", "x"),
    ("skype", "skype"),
)


def _url_channel(url: str) -> str:
    for needle, channel in _URL_CHANNELS:
        if needle in url:
            return channel
    return "external_site"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence (split at 。！？!? and line breaks)."""
    return [m.span() for m in _SENTENCE.finditer(text)]
