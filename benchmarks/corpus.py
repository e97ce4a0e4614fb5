"""A deterministic synthetic help center, for benchmarks and large-scale tests.

    python -m benchmarks.corpus OUT_DIR --n 10000 [--seed S]

``generate(folder, n, seed)`` writes ``folder/articles/<category>/<slug>.md`` for ``n``
articles and returns their paths in index order. The articles look like the real ones under
``articles/``: the same front matter keys, help-center prose about accounts, security,
deposits, withdrawals, fees, the API, verification and trading products, with headings,
lists, tables, code blocks and links between articles.

Determinism (stdlib only):

- the output is byte-identical for the same ``(n, seed)`` on any machine: every choice comes
  from ``random.Random`` seeded with a string, nothing iterates over a set or uses ``hash()``
  or the clock, and numbers are drawn with plain arithmetic (no ``exp``/``log``, whose last
  bit may differ between C libraries);
- article ``i`` depends only on ``(seed, i)``; its category comes from a shuffled block of
  ten (``seed``, ``i // 10``), which makes the split exactly 50/20/30 at every multiple of
  ten. Links only point at articles with a smaller index, so ``generate(n=1000)`` is
  byte-for-byte the first 1000 articles of ``generate(n=10000)``.

Existing files of the same name are overwritten; nothing else in ``folder`` is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20261125
CATEGORIES = ("faq", "announcements", "product-documents")
_CATEGORY_BLOCK = ("faq",) * 5 + ("announcements",) * 2 + ("product-documents",) * 3
FIRST_DATE = dt.date(2019, 1, 1)
LAST_DATE = dt.date(2026, 6, 30)
MIN_WORDS = 150
MAX_WORDS = 1200
_SPAN_DAYS = (LAST_DATE - FIRST_DATE).days


def _t(text: str) -> tuple[str, ...]:
    """A '|'-separated list written compactly across lines."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


# --- fixed vocabulary --------------------------------------------------------------------

MONTHS = _t("January|February|March|April|May|June|July|August|September|October|November|December")
WEEKDAYS = _t("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")


@dataclass(frozen=True)
class _Network:
    key: str
    name: str
    standard: str
    explorer: str
    confirmations: int
    memo: bool = False


NETWORKS = {
    n.key: n
    for n in (
        _Network("bitcoin", "Bitcoin", "BTC", "mempool.space", 2),
        _Network("lightning", "Lightning Network", "Lightning", "the Lightning invoice", 0),
        _Network("ethereum", "Ethereum", "ERC-20", "Etherscan", 64),
        _Network("tron", "Tron", "TRC-20", "Tronscan", 20),
        _Network("bsc", "BNB Smart Chain", "BEP-20", "BscScan", 15),
        _Network("solana", "Solana", "SPL", "Solscan", 32),
        _Network("polygon", "Polygon PoS", "Polygon", "Polygonscan", 256),
        _Network("arbitrum", "Arbitrum One", "Arbitrum", "Arbiscan", 20),
        _Network("optimism", "OP Mainnet", "Optimism", "Optimistic Etherscan", 20),
        _Network("base", "Base", "Base", "Basescan", 20),
        _Network("zksync", "zkSync Era", "zkSync", "the zkSync Era explorer", 20),
        _Network("linea", "Linea", "Linea", "Lineascan", 20),
        _Network("ton", "TON", "Jetton", "Tonviewer", 1, memo=True),
        _Network("avalanche", "Avalanche C-Chain", "AVAX C-Chain", "Snowtrace", 12),
        _Network("xrpl", "XRP Ledger", "XRPL", "XRPScan", 1, memo=True),
        _Network("stellar", "Stellar", "XLM", "StellarExpert", 1, memo=True),
        _Network("cardano", "Cardano", "ADA", "Cardanoscan", 15),
        _Network("dogecoin", "Dogecoin", "DOGE", "Blockchair", 40),
        _Network("litecoin", "Litecoin", "LTC", "Blockchair", 6),
        _Network("polkadot", "Polkadot Asset Hub", "DOT", "Subscan", 2),
        _Network("near", "NEAR Protocol", "NEP-141", "NearBlocks", 3),
        _Network("cosmos", "Cosmos Hub", "ATOM", "Mintscan", 2, memo=True),
        _Network("aptos", "Aptos", "APT", "the Aptos Explorer", 2),
        _Network("sui", "Sui", "SUI", "Suiscan", 2),
        _Network("hedera", "Hedera", "HBAR", "HashScan", 1, memo=True),
        _Network("algorand", "Algorand", "ASA", "Pera Explorer", 2),
        _Network("tezos", "Tezos", "XTZ", "TzKT", 4),
        _Network("kaspa", "Kaspa", "KAS", "the Kaspa explorer", 100),
        _Network("celestia", "Celestia", "TIA", "Celenium", 2, memo=True),
        _Network("injective", "Injective", "INJ", "the Injective explorer", 2, memo=True),
        _Network("filecoin", "Filecoin", "FIL", "Filfox", 120),
    )
}
_EVM = ("ethereum", "arbitrum", "base", "bsc", "polygon", "optimism", "avalanche", "linea", "zksync")

REAL_COINS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Bitcoin", "BTC", ("bitcoin", "lightning")),
    ("Ether", "ETH", ("ethereum", "arbitrum", "optimism", "base", "zksync", "linea")),
    ("Tether", "USDT", ("ethereum", "tron", "bsc", "solana", "polygon", "arbitrum", "ton", "avalanche")),
    ("USD Coin", "USDC", ("ethereum", "solana", "base", "polygon", "arbitrum", "avalanche", "stellar")),
    ("Solana", "SOL", ("solana",)),
    ("XRP", "XRP", ("xrpl",)),
    ("Cardano", "ADA", ("cardano",)),
    ("Dogecoin", "DOGE", ("dogecoin",)),
    ("Tron", "TRX", ("tron",)),
    ("Toncoin", "TON", ("ton",)),
    ("Avalanche", "AVAX", ("avalanche",)),
    ("Polkadot", "DOT", ("polkadot",)),
    ("Chainlink", "LINK", ("ethereum", "arbitrum", "base")),
    ("Litecoin", "LTC", ("litecoin",)),
    ("Polygon", "POL", ("polygon", "ethereum")),
    ("NEAR", "NEAR", ("near",)),
    ("Cosmos", "ATOM", ("cosmos",)),
    ("Stellar", "XLM", ("stellar",)),
    ("Aptos", "APT", ("aptos",)),
    ("Sui", "SUI", ("sui",)),
    ("Arbitrum", "ARB", ("arbitrum",)),
    ("Optimism", "OP", ("optimism",)),
    ("Uniswap", "UNI", ("ethereum", "arbitrum")),
    ("Dai", "DAI", ("ethereum", "arbitrum", "base")),
    ("Euro Coin", "EURC", ("ethereum", "solana", "base")),
    ("BNB", "BNB", ("bsc",)),
    ("Hedera", "HBAR", ("hedera",)),
    ("Algorand", "ALGO", ("algorand",)),
    ("Tezos", "XTZ", ("tezos",)),
    ("Kaspa", "KAS", ("kaspa",)),
    ("Celestia", "TIA", ("celestia",)),
    ("Injective", "INJ", ("injective",)),
    ("Filecoin", "FIL", ("filecoin",)),
)
_SYL_START = _t(
    "qu|so|ve|ka|lu|mi|ze|ra|no|ta|bri|cor|del|fa|gal|hal|ix|jo|ly|mar|nex|or|pra|sel|tor|ul|vy|wen|xa|"
    "yor|zan|bel|cas|dra|el|fen|gri|hel|ky|lor|mon|nim|ost|pol|rho|sta|thy|umb|vor|wyn|aur|bas|cyr|"
    "dun|eth|fro|gle|isk|jun|kel|lum|myr|nor|opa|pyr|quin|ren|syl|tam|ves|zeph"
)
_SYL_MID = _t("ra|lo|ni|ve|ta|ri|do|me|sa|ki|lu|ne|vi|ro|za|mi|the|sto|qua|pe|li|gra|bo|den|fi|ma|tu|xe")
_SYL_END = _t("ry|ce|ne|um|ix|on|ar|is|os|ex|ia|yn|or|al|et|ax|ium|ora|ent|ite|ara|eon|ius|ova|ane|ix|ly")
_COIN_SUFFIX = _t("Network|Protocol|Finance|Chain|Labs|DAO|Token|AI|Swap|Fi|Layer|Play|Pay")
COIN_KIND = _t(
    "a layer-1 blockchain|a layer-2 network for Ethereum|a decentralised exchange protocol|"
    "a decentralised storage network|an oracle network|a restaking protocol|a gaming platform|"
    "a payments network|a liquid staking token|a data availability network|a lending protocol|"
    "a cross-chain messaging protocol|a decentralised physical infrastructure network|"
    "a privacy-focused smart-contract platform|a prediction market protocol|a real-world asset tokenisation platform"
)
COIN_DOES = _t(
    "aims to make small payments fast and cheap|batches transactions with zero-knowledge proofs|"
    "rewards node operators for keeping data available|lets developers publish price feeds on-chain|"
    "lets holders earn rewards while keeping their tokens liquid|pays players in tokens for in-game achievements|"
    "settles cross-border payments in a few seconds|connects wallets and applications across several blockchains|"
    "lets lenders and borrowers set rates through an on-chain auction|uses its token for governance votes and fees|"
    "runs a network of wireless hotspots owned by its users|tokenises short-dated government bonds"
)
FIATS = (
    ("EUR", "SEPA"), ("EUR", "SEPA Instant"), ("GBP", "Faster Payments"), ("GBP", "CHAPS"), ("USD", "SWIFT"),
    ("USD", "ACH"), ("USD", "Fedwire"), ("CHF", "SIC"), ("PLN", "BLIK"), ("PLN", "Express Elixir"),
    ("SEK", "Swish"), ("NOK", "bank transfer"), ("DKK", "bank transfer"), ("CZK", "bank transfer"),
    ("HUF", "bank transfer"), ("RON", "bank transfer"), ("AUD", "PayID"), ("CAD", "Interac e-Transfer"),
    ("BRL", "PIX"), ("TRY", "EFT"), ("JPY", "Zengin"), ("MXN", "SPEI"), ("ZAR", "EFT"), ("NZD", "bank transfer"),
)
_CURRENCY_SIGN = {"EUR": "€", "GBP": "£", "USD": "$"}
COUNTRIES = _t(
    "the United Kingdom|Ireland|France|Germany|Spain|Portugal|Italy|the Netherlands|Belgium|Luxembourg|"
    "Austria|Switzerland|Poland|Czechia|Slovakia|Hungary|Romania|Bulgaria|Greece|Cyprus|Malta|Croatia|"
    "Slovenia|Estonia|Latvia|Lithuania|Finland|Sweden|Norway|Denmark|Iceland|Australia|New Zealand|"
    "Canada|Brazil|Mexico|Argentina|Chile|Colombia|Peru|Turkey|Georgia|South Africa|Nigeria|Kenya|Ghana|"
    "Japan|South Korea|Singapore|Malaysia|Thailand|Vietnam|the Philippines|Indonesia|India|the United Arab Emirates|"
    "Bahrain|Israel|Gibraltar|Liechtenstein|Andorra|Monaco|Jersey|Guernsey|the Isle of Man"
)
AUTH_APPS = _t("Google Authenticator|Microsoft Authenticator|Authy|1Password|Bitwarden|Aegis|2FAS|Proton Pass|Duo Mobile|FreeOTP")
BIOMETRICS = _t("Face ID|Touch ID|Windows Hello|your fingerprint|face unlock|your device PIN")
SECURITY_KEYS = _t("YubiKey 5|Google Titan key|Nitrokey 3|SoloKey|Feitian ePass|Thetis key")
BROWSERS = _t("Chrome|Firefox|Safari|Edge|Brave|Opera|Vivaldi|Samsung Internet")
OSES = _t("iOS 16|iOS 17|iOS 18|Android 12|Android 13|Android 14|Android 15|macOS 13|Windows 10|Windows 11|ChromeOS|Ubuntu 24.04")
PRODUCTS = _t(
    "Spot|Margin|Perpetual futures|USDT-M futures|COIN-M futures|Options|Convert|Earn|Flexible Savings|"
    "Locked Savings|Staking|Copy trading|Grid bots|Dual Investment|Launchpad|P2P|the Meridian Card|"
    "Sub-accounts|Portfolio margin|Block trading|the OTC desk|the VIP programme|the Referral programme|"
    "Recurring buys|Auto-invest|Price alerts|Trading bots|Crypto loans"
)
UI_PATHS = _t(
    "**Profile > Security**|**Wallet > Deposit**|**Wallet > Withdraw**|**Profile > API management**|"
    "**Orders > Order history**|**Settings > Notifications**|**Profile > Verification**|**Wallet > Address book**|"
    "**Help > Contact us**|**Profile > Devices**|**Earn > My positions**|**Futures > Positions**|"
    "**Settings > Preferences**|**Account > Sub-accounts**|**Reports > Tax statements**|**Wallet > History**|"
    "**Wallet > Transfer**|**Profile > Fee tier**|**Trade > Convert**|**Settings > Privacy**"
)
BUTTONS = _t(
    "**Confirm**|**Continue**|**Submit**|**Add address**|**Create API key**|**Verify now**|**Save**|"
    "**Cancel order**|**Redeem**|**Transfer**|**Copy address**|**Download CSV**|**Enable**|**Turn off**|"
    "**Generate codes**|**Add passkey**|**Start verification**|**Request reset**|**Subscribe**|**Close position**|"
    "**Apply**|**Edit**|**Remove**|**Done**|**Next**|**Send code**|**Withdraw**|**Deposit**"
)
DURATIONS = _t(
    "a few minutes|10 minutes|15 minutes|30 minutes|about an hour|two hours|a few hours|four hours|"
    "24 hours|one business day|1 to 3 business days|two business days|48 hours|72 hours|"
    "3 to 5 business days|a week"
)
LONG_DURATIONS = _t("5 business days|7 days|10 business days|two weeks|14 days|30 days|a month")
HOLDS = _t("24 hours|48 hours|72 hours|12 hours")
IMPOSTORS = _t(
    "Meridian support staff|a Meridian account manager|a compliance officer|a well-known investor|"
    "a recovery service|the tax authority|a government agency|a blockchain security firm|a romance partner"
)
DOCS = _t("passport|national identity card|driving licence|residence permit|biometric residence permit|EU identity card")
ADDRESS_DOCS = _t(
    "a utility bill|a bank statement|a council tax bill|a tenancy agreement|a mortgage statement|"
    "a tax assessment letter|an electoral register letter|a mobile phone bill"
)
SERVICES = _t(
    "spot and margin trading|perpetual futures and options trading|Convert|crypto deposits and withdrawals|"
    "bank deposits and withdrawals|card payments|the REST API and WebSocket streams|sign-in and account settings|"
    "Earn subscriptions and redemptions|P2P trading|copy trading|the mobile app|sub-account transfers|"
    "order history exports|the Meridian Card"
)
COMPONENTS = _t(
    "matching engine|wallet infrastructure|risk engine|order gateway|market data service|identity platform|"
    "database cluster|hot wallet signing service|settlement system|notification service"
)
SUPPORT_DETAILS = _t(
    "the transaction hash|your case number|a screenshot of the error|the time the problem started|"
    "the asset and network you used|the order ID|the e-mail address on your account|the name of your bank"
)
LANGUAGES = _t(
    "English, French and German|English, Spanish and Portuguese|English, Polish and Czech|"
    "English, Italian and Greek|English, Turkish and Arabic|twelve languages|English and Dutch"
)
ERRORS_HTTP = ("400", "401", "403", "404", "409", "410", "422", "429", "500", "502", "503", "504")
TOKENS = _t("MRD|MRX")
PROGRAMMES = _t("Market Maker|Liquidity Provider|Institutional|Broker|Affiliate|VIP Plus")

_FIELD_NOUNS = _t(
    "order|fill|trade|position|margin|balance|deposit|withdrawal|transfer|loan|funding|price|quote|fee|"
    "account|subaccount|asset|network|address|ledger|reward|subscription|contract|leverage|collateral"
)
_FIELD_PARTS = _t(
    "id|status|type|amount|quantity|price|currency|time|timestamp|side|ratio|rate|limit|value|cursor|tag|"
    "memo|tx_id|reason|level|mode|interval|source|target|hash|count|fee|precision|min|max|step|version"
)
RESOURCES = (
    ("orders", ("order_id", "client_order_id", "symbol", "side", "type", "status", "price", "quantity",
                "filled_quantity", "time_in_force", "created_at")),
    ("fills", ("fill_id", "order_id", "symbol", "side", "price", "quantity", "fee", "fee_currency", "liquidity", "filled_at")),
    ("positions", ("symbol", "position_side", "quantity", "entry_price", "mark_price", "liquidation_price",
                   "margin_mode", "leverage", "unrealised_pnl", "updated_at")),
    ("balances", ("currency", "available", "locked", "total", "wallet", "updated_at")),
    ("deposits", ("deposit_id", "currency", "network", "amount", "address", "memo", "tx_id", "confirmations", "status", "created_at")),
    ("withdrawals", ("withdrawal_id", "currency", "network", "amount", "fee", "address", "memo", "tx_id", "status", "created_at")),
    ("transfers", ("transfer_id", "currency", "amount", "from_wallet", "to_wallet", "status", "created_at")),
    ("sub-accounts", ("sub_account_id", "label", "email", "status", "fee_tier", "created_at")),
    ("markets", ("symbol", "base", "quote", "market", "tick_size", "step_size", "min_quantity", "status")),
    ("tickers", ("symbol", "last_price", "best_bid", "best_ask", "volume_24h", "change_24h", "updated_at")),
    ("candles", ("symbol", "interval", "open_time", "open", "high", "low", "close", "volume")),
    ("funding-rates", ("symbol", "funding_rate", "funding_time", "mark_price", "index_price")),
    ("loans", ("loan_id", "currency", "principal", "interest_rate", "accrued_interest", "status", "created_at")),
    ("earn/subscriptions", ("subscription_id", "product_id", "currency", "amount", "apr", "term_days", "status", "created_at")),
    ("convert/quotes", ("quote_id", "from_currency", "to_currency", "from_amount", "to_amount", "price", "expires_at")),
    ("ledger", ("entry_id", "currency", "amount", "balance_after", "entry_type", "reference_id", "created_at")),
    ("fee-rates", ("symbol", "market", "maker_rate", "taker_rate", "tier", "updated_at")),
    ("api-keys", ("key_id", "label", "permissions", "ip_whitelist", "created_at", "last_used_at")),
    ("addresses", ("address_id", "currency", "network", "address", "memo", "label", "whitelisted", "created_at")),
    ("open-interest", ("symbol", "open_interest", "open_interest_value", "updated_at")),
)
STREAMS = _t("trades|order-book|ticker|candles|mark-price|funding|liquidations|orders|fills|positions|balances")
CODE_LANGS_API = ("bash", "json", "python", "javascript", "http")

TAG_POOL = _t(
    "security|2fa|passkeys|recovery|phishing|scams|devices|account|verification|kyc|deposits|withdrawals|"
    "networks|fiat|fees|api|trading|spot|margin|futures|options|convert|earn|staking|copy-trading|"
    "maintenance|listings|delistings|wallet|travel-rule|compliance|tax|reports|sub-accounts|vip|referrals|"
    "p2p|card|mobile-app|notifications|limits|whitelist|stablecoins|bitcoin|ethereum|solana|tron|layer-2|"
    "airdrops|promotions|proof-of-reserves|insurance-fund|liquidation|funding-rate|leverage|orders|"
    "market-data|websocket|rate-limits|grid-bots|dual-investment|launchpad|otc|institutional|privacy|legal|terms"
)

# --- sentence pools: one template per line; {slot}s are filled per article ----------------

GENERIC_FAQ = (
    "If you still need help, contact us from **Help > Contact us** and include {support_detail}.",
    "Our support team is available 24 hours a day, seven days a week, in {support_langs}.",
    "We usually reply by {email} within {duration}, and often much sooner.",
    "Screenshots help us a lot: include the whole screen, with the date and time visible.",
    "This works the same way on the web and in the mobile app, although buttons may be in slightly different places.",
    "If you use an older version of the app than {app_version}, update it first; some of these options are missing from earlier versions.",
    "We'll never ask for your password or 2FA codes, even when you contact us.",
    "You can check the state of every service on our status page before you contact us.",
    "Support agents can't speed up a blockchain transaction, but they can tell you whether it has left our wallet.",
    "Most questions like this are answered in a few minutes through the chat assistant in the app.",
    "Availability depends on where you live; some products aren't offered to residents of {country}.",
    "The steps below use the web version; on mobile, tap your profile picture first.",
    "Please don't open more than one case for the same problem, as it slows down the reply.",
    "Keep your case number: it's in the subject line of every {email} about your request.",
    "Limits and fees change from time to time, so the figures here are examples; the app always shows the current values.",
    "Times in the app are shown in your local time zone, but statements and {email}s use UTC.",
    "If the page doesn't load, clear your browser's cache or try a private window in {browser}.",
    "Third-party tools and browser extensions can interfere with the site, so turn them off while you try again.",
    "You'll get an {email} and a push notification as soon as the status changes.",
    "We can only discuss an account with its owner, so contact us from the {email} address registered on it.",
)
GENERIC_ANN = (
    "Thank you for your patience and for trading with Meridian.",
    "All times in this announcement are in Coordinated Universal Time (UTC).",
    "Meridian may change or cancel this {event_word} at any time and will announce any change here.",
    "Follow our official channels for updates, and beware of impostor accounts offering giveaways.",
    "This announcement is available in {n_langs} languages in the app.",
    "If you have questions, our support team is available around the clock from **Help > Contact us**.",
    "We'll update this page if the schedule changes.",
    "Residents of {country} may not be able to take part because of local regulations.",
    "Nothing in this announcement is investment advice; the value of crypto assets can go down as well as up.",
    "Meridian will never ask you to send funds to take part in an event or to receive a reward.",
    "Users in restricted regions are not eligible, as set out in our Terms of Use.",
    "Please make sure the app is updated to version {app_version} or later before the change takes effect.",
    "Users who don't take any action will not be affected.",
    "We appreciate your understanding while we improve our services.",
)
GENERIC_PD = (
    "This document applies from {event_date} and replaces all earlier versions.",
    "We may change the values in this document with at least {notice_days} days' notice, except in an emergency affecting market integrity.",
    "Where this document and the Terms of Use conflict, this document takes precedence for {product}.",
    "Figures are rounded for display; calculations use the full precision shown in the API.",
    "All times are in UTC and all amounts are in the quote currency unless stated otherwise.",
    "Terms in *italics* are defined in the glossary of the Terms of Use.",
    "The current values are always available through the API and in the app; this page is updated within one business day of a change.",
    "Meridian may round, reject or cancel any order that doesn't meet these rules.",
    "Examples are illustrative and use simplified numbers.",
    "Previous versions of this document are available on request from our support team.",
    "This document is provided for information only and doesn't constitute financial advice.",
    "Each parameter is checked when an order is placed and again when it's amended.",
)

SECURITY = (
    "Two-factor authentication (2FA) adds a second step to signing in, so a stolen password on its own is not enough to get into your account.",
    "An authenticator app such as {auth_app} generates a new six-digit code every 30 seconds, even when your phone is offline.",
    "Codes from an authenticator app depend on your phone's clock, so if they're rejected, turn on automatic date and time first.",
    "SMS codes are better than nothing, but they can be intercepted through SIM-swap fraud, which is why we recommend an authenticator app or a passkey instead.",
    "A passkey replaces your password with a key stored on your device and unlocked with {biometric} or your screen lock.",
    "Passkeys can't be phished: they only work on `{domain}`, so a look-alike site can't ask your device for one.",
    "You can register up to {small_n} passkeys, for example one on your phone, one on a laptop and a {security_key} as a spare.",
    "When you set up 2FA we show ten recovery codes once; each code works a single time, so store them somewhere other than your phone.",
    "We will *never* ask for your password, your 2FA codes or your recovery codes by phone, {email}, chat or social media.",
    "After any change to your security settings, withdrawals are paused for {hold} as a precaution.",
    "If you didn't make the change, select **This wasn't me** in the {email} we send and we'll freeze the account straight away.",
    "Your anti-phishing code appears in every genuine {email} from Meridian, so a message without it, or with the wrong code, didn't come from us.",
    "The device list under **Profile > Devices** shows the browser, operating system, approximate location and last activity of every session.",
    "Removing a device signs it out within a minute and revokes any remembered sign-in on it.",
    "Sign-ins from a new device or a new country trigger an {email} alert and, for some actions, an extra confirmation.",
    "Use a password manager to create a long, unique password, and never reuse your Meridian password on another site.",
    "If you've lost both your authenticator and your recovery codes, you can request a 2FA reset, which includes an identity check and a selfie video.",
    "Security keys that support FIDO2, such as a {security_key}, work as passkeys on both desktop and mobile.",
    "You can't turn off 2FA completely while you hold more than {fiat_amount} or have an API key with the **Withdraw** permission.",
    "Scammers often pose as {impostor} and create urgency, for example by claiming that your account will be closed within the hour.",
    "Check the address bar before you sign in: the only sign-in page is `https://{domain}/login`.",
    "Browser extensions that promise airdrops or free {coin} can read and change what you see on web pages, so remove any you don't trust.",
    "If your phone number changes, update it under **Profile > Security** before you lose access to the old SIM card.",
    "Freezing your account blocks sign-ins, trading and withdrawals until you contact us and pass an identity check.",
    "Codes sent by {email} expire after {code_minutes} minutes, and requesting a new code invalidates the previous one.",
    "The mobile app stays signed in for {session_days} days unless you sign out or remove the device.",
    "On shared or public computers, always sign out and don't let the browser save your password.",
    "Recovery codes are shown only once; if you lose them, generate a new set, which invalidates all the old ones.",
    "If you use {auth_app}, turn on its encrypted backup so that your codes move with you to a new phone.",
    "We check new passwords against lists of passwords exposed in public data breaches and reject known ones.",
    "A genuine Meridian employee will never share their screen with you or ask you to install remote-access software such as AnyDesk or TeamViewer.",
    "Phishing links often arrive as sponsored search results, so type `{domain}` yourself or use a bookmark.",
    "Every sign-in is recorded with its IP address, and you can download the last {history_months} months of activity.",
    "Passkeys sync between devices through iCloud Keychain, Google Password Manager or your password manager, depending on where you created them.",
    "If someone else knows your password, change it at once; this signs out every other session.",
    "Withdrawal confirmations need your 2FA code *and* a link we {email} you, so both would have to be compromised.",
    "A reset request is reviewed by a person, not automatically, and takes {duration} in most cases.",
    "Enabling 2FA on your {email} account as well closes the most common route into exchange accounts.",
    "Scam websites often copy our design exactly, down to the logo and the cookie banner.",
    "Fake support accounts on social media usually have names like *Meridian Help Desk*; we only answer through **Help > Contact us**.",
)
SECURITY_BULLETS = (
    "a passkey on a second device, such as a laptop or tablet",
    "your recovery codes, printed or written down and stored safely",
    "an up-to-date operating system and browser",
    "a unique password of at least {pw_len} characters",
    "an anti-phishing code you'll recognise in every {email}",
    "a withdrawal whitelist, so funds can only go to addresses you've approved",
    "sign-in alerts turned on for {email} and push notifications",
    "{auth_app} or another authenticator app with encrypted backup",
    "no remote-access apps installed on the device you trade from",
    "a separate {email} address used only for your Meridian account",
    "a screen lock on your phone, with {biometric} if available",
    "a hardware key such as a {security_key} kept in a safe place",
    "API keys limited to the IP addresses that really use them",
    "a regular look at **Profile > Devices** to remove sessions you don't recognise",
    "your phone carrier's SIM lock or port-out protection turned on",
)
SECURITY_STEPS = (
    "Go to **Profile > Security**.",
    "Select **Enable** next to {sec_method}.",
    "Scan the QR code with {auth_app}, or enter the setup key by hand.",
    "Enter the six-digit code shown in the app to confirm.",
    "Download or write down your recovery codes, then tick **I've saved my codes**.",
    "Confirm the code we send to your registered {email} address.",
    "Follow your device's prompt to create the passkey with {biometric}.",
    "Give the passkey a name you'll recognise later, such as *Work laptop*.",
    "Select **Add passkey** and choose where to save it.",
    "Sign out and back in once to check that the new method works.",
    "Select **Remove** next to any device you don't recognise.",
    "Choose a new password and enter it twice.",
    "Enter your current 2FA code to authorise the change.",
    "Type your anti-phishing code, between 4 and 20 letters or digits, and select **Save**.",
)

DEPOSITS = (
    "Each asset has its own deposit address, and some assets share one address across several networks.",
    "Always send on the network shown next to the address; deposits sent on a network we don't support for that asset can't be credited automatically.",
    "Deposits of {coin} on {net_name} are credited after {confirmations} network confirmations, which usually takes {duration}.",
    "Some networks, such as the XRP Ledger and Stellar, need a memo or destination tag as well as the address; without it we can't tell which account the funds belong to.",
    "You can see the status of every deposit under **Wallet > History > Deposits**, including the transaction hash and the number of confirmations so far.",
    "The minimum deposit for {coin} on {net_name} is {amount}; smaller amounts are not credited and can't be returned.",
    "Bank transfers in {fiat} arrive through {rail}, usually within {duration}.",
    "Card deposits are instant but cost {card_fee} of the amount, charged by the card network and our payment provider.",
    "The name on the bank account must match the name on your Meridian account; payments from third parties are returned, minus any bank charges.",
    "Put your personal reference, shown on the deposit screen, in the payment reference field so that we can match the transfer to you.",
    "If a deposit has enough confirmations on {explorer} but hasn't been credited after {duration}, contact us with the transaction hash.",
    "Deposits sent to a contract address, or of tokens we don't list, can sometimes be recovered for a fee of {recovery_fee}, but there's no guarantee.",
    "We don't charge for crypto deposits; the network fee is paid by the sending wallet.",
    "Deposits sent during wallet maintenance are credited once the maintenance finishes.",
    "Your deposit address doesn't change, so you can save it in your other wallet's address book.",
    "A deposit marked **Under review** is being checked under the Travel Rule or our anti-money-laundering rules and usually clears within {duration}.",
    "{coin} on {net_name} uses the {net_std} standard, so check that your sending wallet shows the same standard.",
    "If you sent {coin} on the wrong network, don't send more to test it; open a case and we'll tell you whether it can be recovered.",
    "Your bank may show the payment as sent to our payment partner rather than to Meridian; that's expected.",
    "Deposits from a bank account in another person's name are returned within {long_duration}.",
    "The first deposit by card may trigger a 3-D Secure check in your banking app.",
    "Credited deposits show in your Funding wallet; move them to the Spot wallet to trade.",
    "Some banks block payments to crypto platforms; if yours does, try {rail} from another account in your own name.",
    "Deposit addresses for {net_name} start with `{address_prefix}`; anything else is a different network.",
    "We add a new network only after testing it for several weeks, so a network your wallet offers may not be supported here yet.",
    "Internal transfers from another Meridian user are credited instantly and don't appear on any blockchain.",
)
DEPOSIT_BULLETS = (
    "the asset and network you sent on",
    "the transaction hash (TXID) from the sending wallet",
    "the amount and the time you sent it",
    "the deposit address, and the memo or tag if the network uses one",
    "a screenshot of the transfer in the sending wallet or bank app",
    "the number of confirmations shown on {explorer}",
    "the name and reference exactly as they appear on your bank statement",
    "**{net_name}** — {confirmations} confirmations, minimum {amount}",
    "the name of the platform you withdrew from",
)
DEPOSIT_STEPS = (
    "Go to **Wallet > Deposit**.",
    "Choose {coin} from the list of assets.",
    "Select the {net_name} network; it must match the network in the sending wallet.",
    "Copy the address with **Copy address**, or scan the QR code.",
    "If a memo or tag is shown, copy that too and enter it in the sending wallet.",
    "Send the funds from the other wallet or platform.",
    "Follow the confirmations under **Wallet > History > Deposits**.",
    "Choose **Bank transfer** and the currency, {fiat}.",
    "Copy the account details and your personal reference into your banking app.",
    "Enter the amount and confirm the payment in your banking app.",
)

WITHDRAWALS = (
    "Withdrawals go through three stages: **Processing**, **Sent** and **Completed**.",
    "The withdrawal fee for {coin} on {net_name} is currently {amount}, and it's shown before you confirm.",
    "Fees vary by network: the same {coin} withdrawal can cost much less on {net_name2} than on Ethereum.",
    "Your daily withdrawal limit depends on your verification level; at {level} it is {fiat_amount} across all assets.",
    "Withdrawals to a new address are held for {hold} if the address isn't on your whitelist.",
    "Once a withdrawal has been broadcast, we can't cancel or reverse it.",
    "If the receiving platform asks for a memo or tag, enter it exactly; with a wrong memo the receiving platform usually has to credit the funds by hand.",
    "Large withdrawals may be checked by our team before they're sent, which can take up to {duration}.",
    "You can follow a sent withdrawal on {explorer} using the transaction hash under **Wallet > History > Withdrawals**.",
    "With the whitelist turned on, withdrawals can only go to addresses saved in your address book.",
    "New whitelist entries take effect after {hold}, so a thief who gets into your account can't add an address and withdraw at once.",
    "Withdrawals to exchanges and hosted wallets may need the recipient's name and platform under the Travel Rule.",
    "If a withdrawal stays on **Processing** for more than {duration}, the network may be congested or under maintenance; check the status page before you contact us.",
    "Fiat withdrawals in {fiat} are paid by {rail} to a bank account in your own name.",
    "The minimum withdrawal for {coin} on {net_name} is {amount}.",
    "A withdrawal can fail on the network side, for example if the gas price spikes; the amount and fee are then returned to your Funding wallet.",
    "Sending to another Meridian user by {email} or user ID is free and instant.",
    "We batch some {coin} withdrawals to save network fees, which can add up to {short_wait} before broadcast.",
    "Check the first and last six characters of the address after you paste it: some malware replaces copied addresses.",
    "You can't withdraw funds that are still locked in open orders, Earn products or margin positions.",
    "After a password change or 2FA reset, withdrawals are blocked for {hold}.",
    "Withdrawal limits reset at 00:00 UTC, not on a rolling 24-hour basis.",
    "Whitelisted addresses can be labelled, for example *Hardware wallet* or *Tax account*, to avoid mistakes.",
    "Self-hosted wallets can be verified by signing a message or by a small test transfer of {amount}.",
    "Fiat withdrawals requested after the cut-off time of {cutoff} UTC are sent on the next business day.",
)
WITHDRAWAL_BULLETS = (
    "**Amount** — what you entered",
    "**Network fee** — the fixed fee for the network you chose",
    "**Recipient receives** — the amount minus the fee",
    "a network the receiving wallet supports for {coin}",
    "the memo or destination tag, if the recipient requires one",
    "a 2FA code and the confirmation link from our {email}",
    "an address saved in the address book, if the whitelist is on",
    "enough available balance in the Funding wallet, not locked in orders",
    "the recipient's full name if you're sending to another exchange",
    "{net_name}: fee {amount}, usually {duration}",
)
WITHDRAWAL_STEPS = (
    "Go to **Wallet > Withdraw** and choose {coin}.",
    "Paste the receiving address or pick one from the address book.",
    "Select the {net_name} network.",
    "Enter the memo or tag if the receiving platform gave you one.",
    "Enter the amount and check the fee and the amount the recipient receives.",
    "Select **Withdraw**, then enter your 2FA code.",
    "Open the confirmation link we {email} you within {code_minutes} minutes.",
    "Go to **Wallet > Address book** and select **Add address**.",
    "Give the address a label and choose whether it's an exchange or a personal wallet.",
    "Turn on **Withdraw only to whitelisted addresses** under **Profile > Security**.",
    "Choose **Bank account** and select one of your saved accounts.",
)

FEES = (
    "Trading fees depend on whether your order adds liquidity to the order book (maker) or takes it (taker).",
    "At the base tier, spot fees are {maker} for makers and {taker} for takers.",
    "Your fee tier is recalculated daily at 00:00 UTC from your 30-day trading volume and your average {token} balance.",
    "Paying fees in {token} gives a {discount} discount.",
    "Fees are deducted from the asset you receive, so a buy order for {coin} pays its fee in {coin}.",
    "VIP tiers start at a 30-day volume of {volume} USDT.",
    "Futures fees are charged on the notional value of the position, not on the margin.",
    "Funding payments are exchanged between traders every eight hours and are not a fee charged by Meridian.",
    "Convert has no separate fee; the cost is included in the quoted price, which is shown before you confirm.",
    "Market makers can apply for the {programme} programme, which offers rebates of up to {rebate} on maker volume.",
    "Your current tier and the volume needed for the next one are shown under **Profile > Fee tier**.",
    "Volume on sub-accounts counts towards the main account's tier.",
    "A limit order that partly fills as a taker and rests for the rest pays both rates, each on its own part.",
    "Fee changes are announced at least {notice_days} days before they take effect.",
    "Promotional zero-fee pairs don't count towards VIP volume.",
    "Options fees are {option_fee} of the underlying's notional value, capped at 12.5% of the option premium.",
    "Withdrawal fees are reviewed on the first business day of each month and follow network costs.",
    "Referral rebates are paid in USDT every day at about 01:00 UTC.",
    "The fee rate is fixed when an order is placed; a tier change during the day applies to new orders only.",
    "Margin interest is charged hourly at {hourly_rate} per hour on borrowed {coin}.",
)
FEE_BULLETS = (
    "spot and margin: {maker} maker, {taker} taker at the base tier",
    "perpetual futures: {fut_maker} maker, {fut_taker} taker",
    "Convert: no separate fee, spread included in the quote",
    "card deposits: {card_fee}",
    "{fiat} deposits by {rail}: free",
    "internal transfers between Meridian users: free",
    "the {token} fee discount of {discount}",
    "withdrawals of {coin} on {net_name}: {amount}",
)

API = (
    "API keys let your own software trade and read your account without your password.",
    "Each key has permissions: **Read**, **Trade**, **Transfer** and **Withdraw**; give a key only the permissions it needs.",
    "Keys with the **Withdraw** permission must be restricted to fixed IP addresses.",
    "Keys that haven't been used for {key_days} days are disabled automatically.",
    "Requests are signed with HMAC-SHA256 over the timestamp, method, path and body, using your API secret.",
    "The `MX-TIMESTAMP` header must be within {recv_window} milliseconds of our server time, or the request is rejected with error `{err}`.",
    "The REST API base URL is `https://api.meridian.example`, and WebSocket streams use `wss://stream.meridian.example/ws`.",
    "Every endpoint has a request weight, and each IP address can spend {weight_limit} weight per minute.",
    "When you exceed a limit we return HTTP 429 with a `Retry-After` header; back off rather than retrying immediately.",
    "Version `{version}` of the API stays available until {event_date}, after which requests to it return HTTP 410.",
    "Send numbers as strings to avoid floating-point rounding in your client and ours.",
    "Use `client_order_id` to make order placement idempotent: a second order with the same ID is rejected with error `{err}`.",
    "Pagination uses an opaque `cursor`; pass the `next_cursor` value from the previous page until it comes back empty.",
    "Timestamps are milliseconds since the Unix epoch, in UTC.",
    "Sub-account keys can only act on their own sub-account, even when the main account created them.",
    "The secret is shown once when you create the key; if you lose it, delete the key and create a new one.",
    "`{endpoint}` returns at most {page_limit} records per request.",
    "Private WebSocket channels need a `login` message signed the same way as a REST request.",
    "Connections are closed after {ws_hours} hours; reconnect and subscribe again when that happens.",
    "Send a `ping` at least every 30 seconds, or the server closes the connection.",
    "Errors return a JSON body with a numeric `code` and a human-readable `message`; match on the code, because messages may change.",
    "`{endpoint}` has a weight of {weight} and needs the **{permission}** permission.",
    "The `{param}` parameter is optional; if you leave it out, the default is `{default}`.",
    "Cancel-on-disconnect cancels all your open orders if your WebSocket session drops for more than {cod_seconds} seconds.",
    "Sandbox keys work only against `https://api.sandbox.meridian.example`, where balances are test funds.",
    "Order updates on the `orders` channel arrive before the REST API reflects them, usually within a few milliseconds.",
    "We publish changes to the API in the changelog at least {notice_days} days before a breaking change.",
    "Symbols use the form `BASE-QUOTE`, such as `{coin}-USDT`, with a `-PERP` suffix for perpetual futures.",
    "Rate-limit headers such as `MX-WEIGHT-USED` tell you how much of the current minute's budget you've spent.",
    "IP restrictions accept up to {ip_max} IPv4 or IPv6 addresses per key, but not CIDR ranges.",
)
API_BULLETS = (
    "`MX-API-KEY` — the key ID",
    "`MX-TIMESTAMP` — milliseconds since the epoch",
    "`MX-SIGNATURE` — the hex-encoded HMAC-SHA256 signature",
    "`MX-PASSPHRASE` — only for keys created before {old_date}",
    "**Read** — balances, orders and history",
    "**Trade** — place and cancel orders",
    "**Transfer** — move funds between your own wallets and sub-accounts",
    "**Withdraw** — send funds off the platform (IP restriction required)",
    "`{endpoint}` — weight {weight}",
    "the `{param}` field, which is now required",
    "error `{err}` when the signature doesn't match",
    "HTTP {http} for requests to retired endpoints",
)
API_STEPS = (
    "Go to **Profile > API management** and select **Create API key**.",
    "Give the key a label, for example the name of your bot.",
    "Tick only the permissions the key needs.",
    "Enter the IP addresses your software calls from.",
    "Confirm with your 2FA code and the link we {email} you.",
    "Copy the API secret now; it won't be shown again.",
    "Build the string to sign: timestamp, method, path and body, with nothing in between.",
    "Sign it with HMAC-SHA256 using your secret, and hex-encode the result.",
    "Send the key, timestamp and signature in the `MX-API-KEY`, `MX-TIMESTAMP` and `MX-SIGNATURE` headers.",
    "Check the response code and retry only on HTTP 5xx or 429, with a growing delay.",
)

KYC = (
    "Verification has three levels, and each level raises your deposit and withdrawal limits.",
    "For {level}, we need a photo of a valid {doc} and a short selfie video.",
    "Proof of address must be dated within the last three months, for example {address_doc}.",
    "Documents must show all four corners, be in colour and not be screenshots or scans of photocopies.",
    "Most applications are reviewed within {duration}; some need a manual check, which can take up to {long_duration}.",
    "If your application is rejected, the {email} tells you why, and in most cases you can try again straight away.",
    "We're required by law to ask where your money comes from once deposits pass {fiat_amount} in a year.",
    "Residents of {country} can verify with a {doc}.",
    "Your name and date of birth must match exactly across your documents; if you've changed your name, upload the marriage certificate or deed poll as well.",
    "We keep verification data for five years after your account is closed, as anti-money-laundering regulations require.",
    "Corporate accounts need a certificate of incorporation, a register of directors and the identity of every beneficial owner holding 25% or more.",
    "We can't accept documents that have expired, even by a day.",
    "Source-of-funds evidence can be payslips, a tax return, a sale contract for property or statements from another exchange.",
    "If you move to another country, update your address under **Profile > Verification**; some products may no longer be available.",
    "Under the Travel Rule, transfers to and from other platforms carry the sender's and recipient's names.",
    "Verification is carried out with our identity partner, and your documents are encrypted in transit and at rest.",
    "The selfie video asks you to turn your head and read out a short number, to confirm that you're a real person.",
    "If the camera doesn't start, allow camera access in {browser} and reload the page.",
    "We may ask you to verify again every {reverify_years} years, or sooner if your documents expire.",
    "Accounts of people under 18 are closed and any balance is returned to the original source.",
    "Tax residency and your tax identification number are needed for automatic exchange of information with tax authorities.",
)
KYC_BULLETS = (
    "**Level 1** — {email} and phone number: crypto deposits only",
    "**Level 2** — ID document and selfie: fiat deposits and withdrawals up to {fiat_amount} a day",
    "**Level 3** — proof of address and source of funds: higher limits and OTC",
    "a valid {doc} that isn't damaged",
    "{address_doc} dated within the last three months",
    "good, even light and a plain background for the selfie",
    "your full name exactly as it appears on the document",
    "your tax identification number, if your country issues one",
)
KYC_STEPS = (
    "Go to **Profile > Verification** and select **Start verification**.",
    "Choose the country that issued your document.",
    "Photograph the front and back of your {doc}.",
    "Record the selfie video, following the prompts on screen.",
    "Upload {address_doc} for proof of address.",
    "Answer the questions about your occupation and expected activity.",
    "Review your details and select **Submit**.",
)

TRADING = (
    "A limit order sets the highest price you'll pay or the lowest you'll accept, and waits on the order book until it's filled or cancelled.",
    "A market order fills immediately at the best available prices, which can move against you on thinly traded pairs.",
    "Stop-limit orders place a limit order once the last price reaches your stop price.",
    "Post-only orders are cancelled instead of filling as a taker, so you always pay the maker fee.",
    "Time-in-force options are GTC (good till cancelled), IOC (immediate or cancel) and FOK (fill or kill).",
    "The minimum order size for `{coin}-USDT` is {amount}, and the price moves in steps of {tick}.",
    "Margin trading lets you borrow up to {margin_lev} your collateral; interest accrues hourly on what you borrow.",
    "In cross margin, all your margin balances back every position; in isolated margin, each pair has its own collateral and risk.",
    "Convert quotes are valid for {quote_seconds} seconds; if the price moves before you confirm, we show a new quote.",
    "Orders placed in the app and on the web share the same order book and fill in the same way.",
    "The order history keeps filled and cancelled orders for {history_months} months; export older data from **Reports**.",
    "OCO (one cancels the other) pairs a take-profit limit order with a stop-loss, and cancels one when the other fills.",
    "A trailing stop follows the price by a distance you set, such as {trail_pct}, and triggers when the price turns.",
    "Price protection rejects market orders that would fill more than {protect_pct} away from the last price.",
    "Copy trading mirrors a lead trader's futures positions in proportion to the amount you allocate.",
    "Lead traders receive {profit_share} of the profit they make for copiers, settled daily.",
    "Grid bots place buy and sell orders at set intervals within a price range and profit from movement inside it.",
    "Recurring buys purchase {coin} at the interval you choose, from your Spot wallet or by card.",
    "Self-trade prevention stops your own orders from matching each other; by default the newer order is cancelled.",
    "The spread is the gap between the best bid and the best ask; on `{coin}-USDT` it's usually a single tick.",
    "A margin call {email} is sent when your margin level falls below {margin_call}.",
    "Interest on margin loans is charged every hour, including the first one, even if you repay early.",
    "Auto-repay uses incoming funds to repay margin loans before they're available for other trades.",
    "Iceberg orders show only part of their size on the order book and refill as the visible part fills.",
    "P2P adverts set the price, limits and payment methods; the buyer pays the seller directly while the coins are held in escrow.",
)
TRADING_BULLETS = (
    "**Limit** — a price you choose; waits on the book",
    "**Market** — fills now at the best available price",
    "**Stop-limit** — a limit order placed when the stop price is reached",
    "**Post only** — never pays the taker fee",
    "**Reduce only** — can only make a position smaller",
    "minimum order size: {amount}",
    "tick size: {tick}",
    "maximum open orders per pair: {max_orders}",
    "price protection: {protect_pct} from the last price",
    "copy-trading allocation from {min_copy} USDT",
)
TRADING_STEPS = (
    "Open the `{coin}-USDT` market from **Trade > Spot**.",
    "Choose the order type: **Limit**, **Market** or **Stop-limit**.",
    "Enter the price and the amount, or use the percentage slider.",
    "Check the estimated fee and total, then select **Buy {coin}** or **Sell {coin}**.",
    "Follow the order under **Orders > Open orders** until it fills.",
    "Transfer collateral to the Margin wallet with **Wallet > Transfer**.",
    "Choose **Cross** or **Isolated** margin mode.",
    "Select **Borrow**, choose the asset and amount, and confirm.",
    "Go to **Trade > Convert**, choose the two assets and enter an amount.",
    "Select **Preview**, check the quote and confirm before it expires.",
)

DERIVATIVES = (
    "Perpetual futures have no expiry date; a funding rate paid every eight hours keeps the contract price close to the index price.",
    "`USDT-M` contracts are margined and settled in USDT, while `COIN-M` contracts use the underlying coin as margin.",
    "A position is liquidated when its margin ratio reaches 100%, that is, when the margin balance falls to the maintenance margin.",
    "The mark price, not the last traded price, is used for liquidations and unrealised profit and loss.",
    "Maximum leverage on `{coin}-USDT-PERP` is {leverage}, and it falls as the position grows through the risk-limit tiers.",
    "The insurance fund covers losses when a liquidated position closes at a price worse than its bankruptcy price.",
    "If the insurance fund can't cover a loss, auto-deleveraging (ADL) reduces opposing positions in order of profit and leverage.",
    "Options are European-style and settle in cash at expiry, against the average index price over the last 30 minutes before 08:00 UTC.",
    "Option premiums are quoted in USDT per contract, and one contract is worth {contract_size} {coin}.",
    "Reduce-only orders can only shrink a position, which protects you from opening a new one by accident.",
    "Funding rates are capped at {funding_cap} per interval in either direction.",
    "The index price of `{coin}-USDT` is a weighted average of spot prices on {n_sources} exchanges, with outliers removed.",
    "Initial margin is the amount needed to open a position; maintenance margin is the minimum needed to keep it open.",
    "Hedge mode lets you hold a long and a short position on the same contract at once; one-way mode nets them.",
    "Partial liquidation closes only part of a large position first, to bring the margin ratio back below 100%.",
    "The liquidation price moves when you add or remove margin, change leverage or pay funding.",
    "Take-profit and stop-loss orders can be attached when you open a position or added to it later.",
    "Unrealised profit can be used as margin for new positions in cross-margin mode, but it can't be withdrawn.",
    "Delivery contracts expire on the last Friday of the quarter at 08:00 UTC and settle at the delivery price.",
    "Options Greeks (delta, gamma, vega and theta) are shown for every contract and updated every second.",
    "The funding rate is the premium index plus a clamped interest component of {interest_component} per interval.",
    "Market makers in options must quote both sides within a maximum spread of {mm_spread}.",
    "Position limits per account apply to {coin} contracts: no account may hold more than {pos_limit} USDT of notional value.",
)
DERIVATIVE_BULLETS = (
    "contract: `{coin}-USDT-PERP`",
    "maximum leverage: {leverage}",
    "funding interval: every 8 hours, at 00:00, 08:00 and 16:00 UTC",
    "maintenance margin rate from {mmr}",
    "contract size: {contract_size} {coin}",
    "settlement asset: USDT",
    "mark price: index price plus a moving average of the basis",
    "funding rate cap: {funding_cap}",
    "insurance fund balance: published daily",
)

EARN = (
    "Flexible Savings can be redeemed at any time and pays interest daily.",
    "Locked Savings pays a fixed APR for a term of {term} days; redeeming early forfeits the interest earned so far.",
    "Staking rewards come from the network, not from Meridian, so rates change with network conditions.",
    "Unstaking {coin} takes {unstake_days} days, during which the coins earn no rewards and can't be traded.",
    "Rates shown are annual percentage rates (APR) and are not compounded.",
    "Dual Investment is not capital-protected: depending on the settlement price, you receive either {coin} or USDT.",
    "Rewards are paid to your Funding wallet at about 02:00 UTC each day.",
    "The APR for {coin} Flexible Savings is currently {apr}, and it may change daily.",
    "Subscriptions close when a product's quota is reached, and reopen when others redeem.",
    "Meridian keeps a commission of {commission} of staking rewards to cover validator costs.",
    "Slashing losses on our validators are covered by Meridian, not by you.",
    "Auto-subscribe moves idle balances in your Funding wallet into Flexible Savings every day.",
    "Earn products are not bank deposits and aren't covered by any deposit guarantee scheme.",
    "Launchpad subscriptions are calculated from your average {token} holding over the {snapshot_days}-day snapshot period.",
)
EARN_BULLETS = (
    "**Flexible Savings** — redeem any time, rate changes daily",
    "**Locked Savings** — fixed rate for {term} days",
    "**Staking** — network rewards, {unstake_days}-day unstaking period",
    "**Dual Investment** — higher yield, settlement in either asset",
    "minimum subscription: {amount}",
    "current APR on {coin}: {apr}",
)

ACCOUNT = (
    "You can create up to {subaccount_max} sub-accounts, each with its own balances, API keys and settings.",
    "Transfers between your main account and sub-accounts are free and instant.",
    "The annual tax statement lists every trade, deposit, withdrawal and reward, valued in {fiat} at the time of the transaction.",
    "Reports are generated as CSV files and are usually ready within {duration}.",
    "You choose which notifications you receive under **Settings > Notifications**, except security alerts, which can't be turned off.",
    "The mobile app needs {os} or later.",
    "The Meridian Card spends your balance in {fiat} and converts crypto at the moment you pay.",
    "P2P trades are protected by escrow: the seller's coins are locked until they confirm they've received the payment.",
    "You can change the display language and reference currency under **Settings > Preferences**.",
    "Closing your account is permanent; withdraw all balances first, because we can't reopen a closed account.",
    "You can change the {email} address on your account once every {change_days} days.",
    "Your user ID, a ten-digit number, is shown under your profile picture and is safe to share with other users.",
    "Referral rewards are paid when the person you invited completes verification and trades at least {ref_min} USDT.",
    "Dormant accounts with no activity for {dormant_years} years may be charged a monthly fee after notice.",
    "Push notifications need the app's notification permission in your phone's settings.",
    "Exports include a `Transaction ID` column that matches the IDs in the API.",
    "Your data can be downloaded under **Settings > Privacy** in a machine-readable format.",
    "We support {n_langs} languages in the app and on the web.",
    "Accessibility settings include larger text, reduced motion and a high-contrast theme.",
    "Price alerts can be set on any market and are delivered by push notification or {email}.",
    "The Meridian Card has no monthly fee, and ATM withdrawals are free up to {fiat_amount} a month.",
    "A joint account isn't possible; each person needs their own verified account.",
)
ACCOUNT_BULLETS = (
    "trade history, including fees",
    "deposits and withdrawals, with transaction hashes",
    "Earn and staking rewards",
    "card transactions in {fiat}",
    "transfers between sub-accounts",
    "funding payments and realised futures profit and loss",
    "language and reference currency",
    "security alerts, which can't be turned off",
    "marketing messages, off by default",
)

MAINTENANCE = (
    "Meridian will carry out scheduled maintenance on {event_day}, from {time1} to {time2} UTC.",
    "During the window, {service} will be unavailable.",
    "Open orders stay on the order book and will be matchable again when trading reopens.",
    "No funding payment falls inside the window, and liquidations are paused while trading is halted.",
    "Deposits sent during the maintenance are not lost; they're credited once wallet services return.",
    "We'll post updates on our status page throughout the window and reopen services as soon as checks are complete, which may be earlier than planned.",
    "API requests during the window will return HTTP 503 with error code `{err}`.",
    "We recommend pausing trading bots rather than retrying in a loop.",
    "The maintenance is part of our regular upgrade schedule and improves the reliability of our {component}.",
    "Trading reopens in two steps: for the first {auction_minutes} minutes only order placement and cancellation are allowed, then matching resumes.",
    "If you'd rather not have orders resting when the market reopens, cancel them before {time1} UTC.",
    "Sign-in and account settings are not affected.",
    "Withdrawals requested before {time0} UTC and not yet broadcast will be sent after the maintenance.",
    "The window is longer than usual because we're moving the {component} to new hardware.",
    "Bank deposits made during the window are credited as soon as services are back.",
    "Mobile app users may be signed out once when the maintenance ends.",
)
LISTING = (
    "Meridian will list {coin_name} ({coin}) and open the `{coin}-USDT` spot pair on {event_day} at {time1} UTC.",
    "Deposits of {coin} on {net_name} open at {time0} UTC, so you can deposit before trading starts.",
    "Withdrawals will open on {event_date2}.",
    "{coin_name} is {coin_kind} that {coin_does}.",
    "Trading opens in call-auction mode for the first {auction_minutes} minutes, and market orders are disabled during that time.",
    "A listing on Meridian is not an endorsement of a project or a recommendation to buy; new assets are often very volatile.",
    "To celebrate the listing, makers on `{coin}-USDT` pay no fees until {event_date2}.",
    "The total supply is {supply} {coin}, of which about {circ_pct} is in circulation.",
    "Please read the project's own documentation and consider the risks before you trade.",
    "{coin} is supported only on {net_name}; tokens sent from any other network will not be credited.",
    "For the first 24 hours, each account can hold open orders worth up to {order_cap} USDT in total on {coin} pairs.",
    "Margin, futures and Earn products for {coin} are not available at launch.",
    "The `{coin}-USDT-PERP` perpetual contract opens on {event_date2} with maximum leverage of {leverage}.",
    "The `{coin}-EUR` pair will follow once liquidity allows.",
)
DELISTING = (
    "Following our regular review, Meridian will delist {coin_name} ({coin}) on {event_day}.",
    "We review every listed asset at least once a quarter, looking at liquidity, development activity, security and regulatory standing.",
    "Trading of all {coin} pairs will stop at {time1} UTC, and open orders will be cancelled automatically.",
    "Deposits of {coin} close immediately; withdrawals remain open until {event_date2}.",
    "After withdrawals close, any remaining {coin} balances may be converted to USDT at the market price and credited to your Funding wallet.",
    "Margin positions and loans in {coin} must be closed before {event_date}.",
    "We know this may be disappointing for holders of {coin}, and we're sorry for the inconvenience.",
    "Futures contracts on {coin} will be settled at the index price at {time1} UTC on {event_date}.",
    "Earn products in {coin} stop accepting subscriptions today, and existing positions are redeemed automatically.",
    "Copy-trading and grid-bot strategies that use {coin} pairs will be stopped and closed.",
)
NETWORK_UPGRADE = (
    "The {net_name} network will undergo a planned upgrade at block height {block_height}, expected around {time1} UTC on {event_day}.",
    "Deposits and withdrawals of {coin} on {net_name} will be suspended from about one hour before the upgrade.",
    "Trading is not affected.",
    "Meridian will handle all the technical requirements for users holding {coin} on the platform; you don't need to do anything.",
    "We'll reopen deposits and withdrawals once the upgraded network is stable, and won't announce it separately.",
    "Any new tokens issued as a result of the upgrade will be credited in line with our airdrop policy.",
    "The upgrade, named *{upgrade_name}*, changes how {net_name} calculates transaction fees.",
    "If the upgrade is delayed, the suspension will be moved to match the new time.",
    "Deposits sent during the suspension will be credited after the network has resumed.",
    "Other networks for {coin}, such as {net_name2}, are not affected.",
)
FEE_UPDATE = (
    "From {event_day}, our spot fee schedule will change.",
    "The base-tier taker fee falls from {taker} to {taker_new}, and the maker fee stays at {maker}.",
    "VIP tiers 1 to 3 get a lower 30-day volume requirement, starting at {volume} USDT.",
    "The {token} fee discount changes from {discount} to {discount_new}.",
    "Withdrawal fees on {net_name} fall to {amount}, following lower network costs.",
    "Existing open orders keep the fee rate that applied when they were placed.",
    "The updated schedule is published in full in our fee schedule document.",
    "Futures fees are unchanged.",
    "Card deposit fees increase to {card_fee} because of higher charges from the card networks.",
)
LAUNCH = (
    "{product} is now available to verified users in {country}.",
    "{product} is rolling out gradually and will reach everyone by {event_date2}.",
    "To use {product}, you need verification {level} and the latest version of the app, {app_version}.",
    "{product} was the most requested feature in our last user survey.",
    "During the launch period, users who try {product} before {event_date2} get a fee rebate of up to {rebate}.",
    "You can find {product} in the app under **Trade** and on the web in the top menu.",
    "{product} is in beta, so some features may change based on your feedback.",
    "We've published a guide to {product} in the Help Center.",
)
API_CHANGE = (
    "API `{version}` will be retired on {event_day}, and requests to its endpoints will return HTTP 410 after that date.",
    "Please migrate to API `{version_new}`, which has been available since {old_date}.",
    "The `{endpoint}` endpoint will be replaced by a paginated version that uses a `cursor` parameter.",
    "The field `{field_old}` will be renamed to `{field_new}` in all responses.",
    "Rate limits on `{endpoint}` change to a weight of {weight} per request.",
    "WebSocket connections will require a heartbeat every 30 seconds from {event_date2}.",
    "Requests without the `MX-TIMESTAMP` header will be rejected with error `{err}`.",
    "We'll send a reminder to every user whose API keys called the old endpoints in the last {key_days} days.",
    "The sandbox already runs the new version, so you can test your integration now.",
)
PROMO = (
    "From {event_day} to {event_date2}, users who trade at least {volume_small} USDT on `{coin}-USDT` can share a prize pool of {prize} USDT.",
    "Rewards are shared in proportion to each eligible user's trading volume, up to {reward_cap} USDT per user.",
    "To join, register on the event page; trades before registration don't count.",
    "Rewards are paid as bonus vouchers within {long_duration} after the event ends.",
    "Wash trading, self-trading and the use of multiple accounts will lead to disqualification.",
    "Sub-accounts count together with their main account.",
    "New users who complete verification during the event get an extra {bonus} USDT voucher.",
    "Market makers and institutional accounts are not eligible.",
)
LEGAL = (
    "We're updating our Terms of Use, with effect from {event_day}.",
    "The main change concerns {legal_topic}.",
    "You don't need to do anything; if you keep using Meridian after {event_date}, you accept the updated terms.",
    "If you don't agree, you can close your account at any time before the change takes effect, free of charge.",
    "We've also updated our Privacy Notice to explain how we use data for {legal_topic}.",
    "Under regulations in {country}, we must collect the names of senders and recipients for crypto transfers.",
    "The previous version of the terms remains available for reference.",
    "These changes follow new guidance from our regulator in {country}.",
)
INCIDENT = (
    "Between {time1} and {time2} UTC on {event_date}, {service} was unavailable or slower than usual.",
    "The cause was a fault in our {component}, which has been fixed.",
    "No funds were lost, and all balances are correct.",
    "Withdrawals of {coin} on {net_name} that were delayed have now been sent.",
    "We're reviewing the incident and will publish a full report within {long_duration}.",
    "Orders placed during the incident were processed in the order they were received.",
    "If you believe you lost money because of the incident, contact us with the order IDs by {event_date2}.",
    "We're sorry for the disruption this caused.",
)
ANN_BULLETS = (
    "**Trading:** `{coin}-USDT` from {time1} UTC",
    "**Deposits:** open from {time0} UTC",
    "**Network:** {net_name} ({net_std}) only",
    "**Withdrawal fee:** {amount}",
    "**Minimum withdrawal:** {amount}",
    "**Trading fees:** standard spot tiers apply",
    "**Margin, futures and Earn:** not available at launch",
    "{service}: unavailable from {time1} to {time2} UTC",
    "open orders remain on the book",
    "API users should pause bots during the window",
    "event period: {event_date} to {event_date2}",
    "prize pool: {prize} USDT",
    "maximum reward per user: {reward_cap} USDT",
)

DOCS_SPEC = (
    "Each contract has a fixed size, tick size and maximum order quantity, listed in the table below.",
    "Prices are quoted in USDT with a tick size of {tick}.",
    "The maximum quantity for a single market order is {max_market_qty} contracts; larger orders must be placed as limit orders.",
    "Trading hours are 24/7, except during scheduled maintenance.",
    "Risk limits define the maximum position size for each leverage level.",
    "The maintenance margin rate increases by {mmr_step} for each risk-limit tier.",
    "Settlement at expiry uses the time-weighted average of the index price over the final 30 minutes.",
    "Contracts are listed with weekly, monthly and quarterly expiries.",
    "Strike prices are set at intervals of {strike_step} USDT around the current index price.",
)
DOCS_METHOD = (
    "The index price is calculated every second from the spot prices of {n_sources} constituent exchanges.",
    "An exchange's price is excluded if it deviates by more than {deviation} from the median of the others.",
    "If fewer than three sources are available, the index uses the last valid value and widens the price bands.",
    "Weights are reviewed monthly based on each exchange's 30-day volume and data quality.",
    "Proof of reserves compares our on-chain holdings with the total of all user balances at a snapshot time.",
    "User balances are committed to a Merkle tree, and each user can check their own leaf without seeing anyone else's.",
    "The auditor verifies that the sum of the leaves equals the published liabilities, and that no balance is negative.",
    "Our reserve ratio for {coin} at the last snapshot was {reserve_ratio}.",
    "The security fund holds {fund_size} USDT equivalent, kept in cold storage and published monthly.",
    "Snapshots are taken at a random time chosen by the auditor, announced only afterwards.",
)
DOCS_TERMS = (
    "These terms apply to {product} in addition to the Meridian Terms of Use.",
    "You must be at least 18 years old and hold a verified account at {level} or above.",
    "Meridian may suspend {product} at any time to protect users or to comply with the law.",
    "Rates, limits and eligibility may change; changes don't affect positions already open unless stated.",
    "You're responsible for any taxes due on rewards or profits from {product}.",
    "Assets in {product} remain yours, but may be held in pooled wallets and staked with third-party validators.",
    "In the event of a network failure, rewards for the affected period may be reduced or not paid.",
    "Complaints about {product} follow our standard complaints procedure and are answered within {long_duration}.",
    "Nothing in these terms limits liability that can't be limited by law.",
)

# --- slots: shared pools and generated values ----------------------------------------------

_Slot = Callable[["_Writer"], str]


def _num(w: _Writer, low: int, high: int) -> str:
    return f"{w.rng.randint(low, high):,}"


def _decimal(rng: random.Random, low: int, high: int, places: int) -> str:
    """A decimal number built from an integer, so formatting never depends on float printing."""
    value = rng.randint(low, high)
    if places == 0:
        return f"{value:,}"
    whole, frac = divmod(value, 10**places)
    return f"{whole:,}.{frac:0{places}d}"


def _amount(w: _Writer) -> str:
    places = w.rng.choice((0, 1, 2, 4, 6))
    value = _decimal(w.rng, 1, 50000 if places else 5000, places)
    return f"{value} {w.ctx['coin']}"


def _fiat_amount(w: _Writer) -> str:
    fiat = w.ctx["fiat"]
    value = w.rng.choice((50, 100, 250, 500, 1000, 2000, 2500, 5000, 10000, 15000, 20000, 50000, 100000, 250000, 1000000))
    sign = _CURRENCY_SIGN.get(fiat)
    return f"{sign}{value:,}" if sign else f"{value:,} {fiat}"


def _pct(rng: random.Random, low: int, high: int, places: int) -> str:
    return _decimal(rng, low, high, places) + "%"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.choice((0, 0, 0, 15, 30, 45)):02d}"


def _hexstr(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


SLOTS: dict[str, Sequence[str] | _Slot] = {
    "duration": DURATIONS,
    "long_duration": LONG_DURATIONS,
    "short_wait": _t("5 minutes|10 minutes|15 minutes|20 minutes"),
    "support_detail": SUPPORT_DETAILS,
    "support_langs": LANGUAGES,
    "browser": BROWSERS,
    "os": OSES,
    "impostor": IMPOSTORS,
    "security_key": SECURITY_KEYS,
    "address_doc": ADDRESS_DOCS,
    "doc": DOCS,
    "service": SERVICES,
    "component": COMPONENTS,
    "programme": PROGRAMMES,
    "path": UI_PATHS,
    "button": BUTTONS,
    "sec_method": _t("**Authenticator app**|**Passkey**|**Security key**|**SMS**|**Anti-phishing code**|**Withdrawal whitelist**"),
    "event_word": _t("event|promotion|campaign|schedule|change"),
    "legal_topic": _t(
        "how we handle dormant accounts|the Travel Rule|the order of priority in a liquidation|"
        "our complaints procedure|staking and slashing|how we communicate with you|restricted jurisdictions|"
        "the use of automated trading tools|the handling of airdrops and forks|copy-trading responsibilities"
    ),
    "upgrade_name": lambda w: w.rng.choice(_SYL_START).capitalize() + w.rng.choice(_SYL_END),
    "app_version": lambda w: f"{w.rng.randint(3, 6)}.{w.rng.randint(0, 40)}.{w.rng.randint(0, 9)}",
    "amount": _amount,
    "fiat_amount": _fiat_amount,
    "err": lambda w: str(w.rng.randint(40001, 50399)),
    "http": ERRORS_HTTP,
    "small_n": _t("five|eight|ten|twelve|twenty"),
    "code_minutes": _t("5|10|15|30"),
    "session_days": _t("7|14|30|60|90"),
    "history_months": _t("3|6|12|24"),
    "pw_len": _t("12|14|16|20"),
    "card_fee": lambda w: _pct(w.rng, 9, 45, 1),
    "recovery_fee": lambda w: f"{w.rng.choice((50, 75, 100, 150, 200, 250))} USDT",
    "maker": lambda w: _pct(w.rng, 2, 10, 2),
    "taker": lambda w: _pct(w.rng, 5, 20, 2),
    "taker_new": lambda w: _pct(w.rng, 4, 12, 3),
    "fut_maker": lambda w: _pct(w.rng, 1, 4, 2),
    "fut_taker": lambda w: _pct(w.rng, 3, 8, 3),
    "option_fee": lambda w: _pct(w.rng, 1, 5, 2),
    "discount": lambda w: f"{w.rng.choice((10, 15, 20, 25, 30))}%",
    "discount_new": lambda w: f"{w.rng.choice((5, 10, 15, 20))}%",
    "rebate": lambda w: _pct(w.rng, 1, 15, 3),
    "hourly_rate": lambda w: _pct(w.rng, 10, 99, 5),
    "volume": lambda w: f"{w.rng.randint(1, 50) * w.rng.choice((100_000, 1_000_000)):,}",
    "volume_small": lambda w: f"{w.rng.choice((100, 500, 1000, 5000, 10000)):,}",
    "prize": lambda w: f"{w.rng.choice((10, 20, 25, 50, 75, 100, 150, 250, 500)) * 1000:,}",
    "reward_cap": lambda w: f"{w.rng.choice((100, 250, 500, 1000, 2000, 5000)):,}",
    "bonus": lambda w: str(w.rng.choice((5, 10, 20, 25, 50))),
    "order_cap": lambda w: f"{w.rng.choice((10, 25, 50, 100, 250)) * 1000:,}",
    "key_days": _t("30|60|90|180"),
    "recv_window": _t("1,000|5,000|10,000|30,000|60,000"),
    "weight_limit": _t("1,200|2,400|6,000|12,000"),
    "page_limit": _t("50|100|200|500|1,000"),
    "weight": lambda w: str(w.rng.choice((1, 1, 2, 5, 10, 20, 40))),
    "permission": _t("Read|Trade|Transfer|Withdraw"),
    "ws_hours": _t("12|24|48"),
    "cod_seconds": _t("5|10|30|60"),
    "ip_max": _t("10|20|30|50"),
    "default": _t("50|100|gtc|spot|false|1h|asc|desc|USDT"),
    "param": lambda w: w.field(),
    "field_old": lambda w: w.field(),
    "field_new": lambda w: w.field(),
    "endpoint": lambda w: w.endpoint(),
    "reverify_years": _t("two|three|five"),
    "tick": lambda w: w.rng.choice(("0.01", "0.001", "0.0001", "0.1", "0.5", "1", "0.00001")) + " USDT",
    "margin_lev": _t("3x|5x|10x"),
    "quote_seconds": _t("6|8|10|15|30"),
    "trail_pct": lambda w: _pct(w.rng, 5, 50, 1),
    "protect_pct": lambda w: f"{w.rng.choice((2, 3, 5, 10, 15))}%",
    "profit_share": lambda w: f"{w.rng.choice((5, 8, 10, 12, 15, 20))}%",
    "margin_call": lambda w: _pct(w.rng, 110, 150, 0),
    "max_orders": _t("200|300|500|1,000"),
    "min_copy": _t("10|20|50|100"),
    "leverage": lambda w: w.rng.choice(("10x", "20x", "25x", "50x", "75x", "100x", "125x")),
    "contract_size": _t("0.001|0.01|0.1|1|10|100"),
    "funding_cap": lambda w: _pct(w.rng, 75, 400, 3),
    "interest_component": lambda w: _pct(w.rng, 10, 30, 3),
    "mm_spread": lambda w: _pct(w.rng, 5, 30, 1),
    "pos_limit": lambda w: f"{w.rng.choice((1, 2, 5, 10, 20, 50)) * 1000000:,}",
    "mmr": lambda w: _pct(w.rng, 40, 200, 2),
    "mmr_step": lambda w: _pct(w.rng, 25, 100, 2),
    "n_sources": _t("five|six|seven|eight|nine|ten|twelve"),
    "term": _t("7|14|30|60|90|120|180"),
    "unstake_days": _t("2|3|5|7|14|21|28"),
    "apr": lambda w: _pct(w.rng, 10, 1800, 2),
    "commission": lambda w: f"{w.rng.choice((8, 10, 12, 15, 20, 25))}%",
    "snapshot_days": _t("3|5|7|10"),
    "subaccount_max": _t("20|50|100|200"),
    "change_days": _t("30|60|90"),
    "ref_min": _t("50|100|200|500"),
    "dormant_years": _t("two|three|five"),
    "n_langs": _t("12|18|24|31"),
    "notice_days": _t("7|14|30|60"),
    "cutoff": _t("14:00|15:30|16:00|17:00"),
    "auction_minutes": _t("5|10|15|30"),
    "supply": lambda w: _num(w, 1, 999) + w.rng.choice((",000,000", ",000,000,000", " million", " billion")),
    "circ_pct": lambda w: f"{w.rng.randint(5, 95)}%",
    "block_height": lambda w: f"{w.rng.randint(1000000, 99999999):,}",
    "max_market_qty": lambda w: f"{w.rng.choice((100, 500, 1000, 5000, 10000, 50000)):,}",
    "strike_step": _t("50|100|250|500|1,000|2,500"),
    "deviation": lambda w: f"{w.rng.choice((1, 2, 3, 5))}%",
    "reserve_ratio": lambda w: _pct(w.rng, 1000, 1450, 1),
    "fund_size": lambda w: f"{w.rng.randint(20, 900):,},000,000",
    "address_prefix": _t("0x|T|bc1|r|G|EQ|addr1|D|ltc1|cosmos1|inj1|celestia1"),
}


def _fictional_coin(rng: random.Random) -> tuple[str, str]:
    stem = rng.choice(_SYL_START) + (rng.choice(_SYL_MID) if rng.random() < 0.6 else "") + rng.choice(_SYL_END)
    name = stem.capitalize()
    letters = [c for c in stem.upper() if c.isalpha()]
    ticker = "".join(letters[:1] + [c for c in letters[1:] if c not in "AEIOU"][: rng.randint(2, 3)])
    if len(ticker) < 3:
        ticker = "".join(letters[:4])
    if rng.random() < 0.4:
        name = f"{name} {rng.choice(_COIN_SUFFIX)}"
    return name, ticker


# --- topics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Topic:
    key: str
    category: str
    weight: int
    tags: tuple[str, ...]
    extra_tags: tuple[str, ...]
    titles: tuple[str, ...]
    headings: tuple[str, ...]
    pools: tuple[tuple[str, ...], ...]
    bullets: tuple[str, ...]
    steps: tuple[str, ...]
    tables: tuple[str, ...]
    table_rate: float
    code_rate: float


def _topic(key: str, category: str, weight: int, tags: str, extra: str, titles: tuple[str, ...],
           headings: str, pools: tuple[tuple[str, ...], ...], bullets: tuple[str, ...], steps: tuple[str, ...],
           tables: str, table_rate: float, code_rate: float) -> _Topic:
    return _Topic(key, category, weight, _t(tags), _t(extra), titles, _t(headings), pools, bullets, steps,
                  _t(tables), table_rate, code_rate)


_FAQ_HEADINGS = (
    "Before you start|What you need|Step by step|What happens next|If it doesn't work|Common problems|"
    "Frequently asked questions|Things to check first|How long it takes|Fees and limits|Good to know|"
    "On the mobile app|On the web|Still need help?|Why we do this|Troubleshooting|Related settings|"
    "Keep your account safe|Known issues"
)
TOPICS: tuple[_Topic, ...] = (
    _topic("2fa", "faq", 4, "security|2fa", "account|recovery|passkeys|mobile-app|devices", (
        "How do I turn on two-factor authentication?", "How do I reset 2FA on a new phone?",
        "Why is my 2FA code not working?", "Can I use {auth_app} for 2FA?",
        "What should I do if I lost my authenticator app?", "How do I switch from SMS to an authenticator app?",
        "2FA codes rejected after changing time zone", "How do I move {auth_app} to a new phone?",
        "What are recovery codes and where do I find them?", "Why am I asked for a 2FA code when I withdraw?",
        "Can I turn off two-factor authentication?", "2FA on {os}: setup and common problems",
    ), _FAQ_HEADINGS + "|Turn on 2FA|Recovery codes|If codes are rejected|Change your authenticator app|Lost your phone?|"
       "Which method should I use?|Set up {auth_app}",
       (SECURITY, GENERIC_FAQ), SECURITY_BULLETS, SECURITY_STEPS, "methods", 0.18, 0.0),
    _topic("passkeys", "faq", 3, "security|passkeys", "2fa|account|devices|mobile-app", (
        "How do I set up a passkey?", "What is a passkey and is it safer than a password?",
        "Can I use a passkey on {os}?", "How do I remove a passkey I no longer use?",
        "Passkey not offered when I sign in: what can I do?", "Can I sign in with a {security_key}?",
        "Do passkeys work with {browser}?", "How do passkeys sync between my devices?",
    ), _FAQ_HEADINGS + "|Set up a passkey|Supported devices|Remove a passkey|Passkeys and 2FA|Sign in with a passkey",
       (SECURITY, GENERIC_FAQ), SECURITY_BULLETS, SECURITY_STEPS, "methods", 0.14, 0.0),
    _topic("recovery", "faq", 3, "security|recovery", "account|2fa|phishing|devices", (
        "I think my account has been compromised. What should I do?", "How do I freeze my account?",
        "I can't sign in: how do I recover my account?", "How do I change my password?",
        "I received a sign-in alert I don't recognise", "How do I unfreeze my account?",
        "Someone changed my {email} address: what now?", "How do I see and remove signed-in devices?",
    ), _FAQ_HEADINGS + "|Freeze your account|Secure your {email}|Check your devices|Unfreeze your account|If you didn't make this change",
       (SECURITY, GENERIC_FAQ, ACCOUNT), SECURITY_BULLETS, SECURITY_STEPS, "methods", 0.07, 0.0),
    _topic("phishing", "faq", 2, "security|phishing", "scams|account|2fa", (
        "How can I recognise and avoid scams?", "What is an anti-phishing code?",
        "Is this {email} really from Meridian?", "Someone claiming to be {impostor} contacted me",
        "What are address-poisoning scams?", "How do I report a fake Meridian website?",
        "Investment scams: the warning signs", "Why you should never install AnyDesk for support",
    ), _FAQ_HEADINGS + "|Common scams|Warning signs|What Meridian will never do|If you've already paid|Report a scam",
       (SECURITY, GENERIC_FAQ), SECURITY_BULLETS, SECURITY_STEPS, "", 0.04, 0.0),
    _topic("deposit-crypto", "faq", 5, "deposits|networks", "wallet|stablecoins|bitcoin|ethereum|solana|tron|layer-2", (
        "How do I deposit crypto?", "My {coin} deposit hasn't arrived. What should I do?",
        "How many confirmations does a {coin} deposit need?", "I sent {coin} on the wrong network",
        "I forgot the memo on my {coin} deposit", "What is the minimum deposit for {coin}?",
        "Why is my deposit marked Under review?", "Can I deposit {coin} on {net_name}?",
        "How do I find my {coin} deposit address?", "Deposits from {net_name}: what to check",
    ), _FAQ_HEADINGS + "|Choose the right network|Memos and tags|Confirmations|Check the transaction|"
       "Wrong network or missing memo|Deposit {coin} on {net_name}|Minimum amounts",
       (DEPOSITS, GENERIC_FAQ), DEPOSIT_BULLETS, DEPOSIT_STEPS, "networks", 0.25, 0.05),
    _topic("deposit-fiat", "faq", 3, "deposits|fiat", "fees|card|limits|verification", (
        "How do I deposit money by bank transfer or card?", "How long do {fiat} deposits take?",
        "My bank transfer hasn't arrived", "Why was my card deposit declined?",
        "Can I deposit {fiat} by {rail}?", "Why was my bank transfer returned?",
        "What are the fees for card deposits?", "Can I deposit from someone else's bank account?",
    ), _FAQ_HEADINGS + "|Bank transfers|Card payments|Payment references|Returned payments|Limits",
       (DEPOSITS, GENERIC_FAQ, FEES), DEPOSIT_BULLETS, DEPOSIT_STEPS, "limits|fees", 0.25, 0.0),
    _topic("withdrawals", "faq", 5, "withdrawals|networks", "fees|limits|wallet|security|stablecoins", (
        "How do I withdraw crypto?", "Why is my withdrawal pending or on hold?", "How much does it cost to withdraw {coin}?",
        "Which network should I choose when I withdraw?", "What are my withdrawal limits?",
        "Can I cancel a withdrawal?", "My {coin} withdrawal shows as sent but hasn't arrived",
        "Why was my withdrawal to {net_name} rejected?", "How do I withdraw {fiat} to my bank account?",
        "Withdrawals to other exchanges: the Travel Rule",
    ), _FAQ_HEADINGS + "|Choose a network|Check the fee|Withdrawal limits|Security holds|Track your withdrawal|"
       "Withdraw {coin} on {net_name}|Fiat withdrawals",
       (WITHDRAWALS, GENERIC_FAQ), WITHDRAWAL_BULLETS, WITHDRAWAL_STEPS, "networks|limits", 0.25, 0.0),
    _topic("whitelist", "faq", 2, "withdrawals|whitelist", "security|wallet", (
        "How do I whitelist a withdrawal address?", "Why can't I withdraw to a new address yet?",
        "How do I verify a self-hosted wallet?", "Can I label saved withdrawal addresses?",
    ), _FAQ_HEADINGS + "|Turn on the whitelist|Add an address|Waiting period|Self-hosted wallets",
       (WITHDRAWALS, SECURITY, GENERIC_FAQ), WITHDRAWAL_BULLETS + SECURITY_BULLETS, WITHDRAWAL_STEPS, "", 0.04, 0.0),
    _topic("fees", "faq", 3, "fees|trading", "vip|spot|futures|referrals", (
        "What are maker and taker fees?", "How do I reach the next VIP tier?", "How do I pay fees in {token}?",
        "Why was I charged a taker fee on a limit order?", "What fees apply to futures?",
        "How are Convert prices calculated?", "Are there fees for depositing {fiat}?",
    ), _FAQ_HEADINGS + "|Maker and taker|Fee tiers|Fee discounts|How fees are charged|Examples",
       (FEES, GENERIC_FAQ, TRADING), FEE_BULLETS, TRADING_STEPS, "fees", 0.4, 0.0),
    _topic("api-keys", "faq", 3, "api|security", "rate-limits|websocket|orders|sub-accounts", (
        "How do I create an API key?", "What are the API rate limits?", "How do I sign API requests?",
        "Why does the API return error {err}?", "How do I restrict an API key to my IP address?",
        "My API key was disabled: why?", "Can I use the API with sub-accounts?",
        "How do I migrate to API {version}?", "How do I keep a WebSocket connection alive?",
    ), _FAQ_HEADINGS + "|Create a key|Permissions|IP restrictions|Signing requests|Rate limits|Errors|Example",
       (API, GENERIC_FAQ), API_BULLETS, API_STEPS, "params|errors", 0.25, 0.6),
    _topic("verification", "faq", 4, "verification|kyc", "compliance|limits|account|travel-rule", (
        "What are the verification levels?", "Why was my verification rejected?", "What documents can I use for verification?",
        "How long does verification take?", "Why are you asking about my source of funds?",
        "Can I verify with a {doc} from {country}?", "How do I update my address after moving?",
        "What is the Travel Rule?", "How do I verify a company account?",
    ), _FAQ_HEADINGS + "|Verification levels|Accepted documents|Proof of address|Source of funds|If you're rejected",
       (KYC, GENERIC_FAQ), KYC_BULLETS, KYC_STEPS, "levels|documents", 0.29, 0.0),
    _topic("spot", "faq", 3, "trading|spot", "orders|fees|convert|grid-bots", (
        "What order types can I use on spot?", "How do I place a stop-limit order?", "Why didn't my limit order fill?",
        "How does Convert work?", "What is an OCO order?", "How do grid bots work?",
        "How do I set up recurring buys of {coin}?", "What does post only mean?",
    ), _FAQ_HEADINGS + "|Order types|Place an order|Time in force|Price protection|Examples",
       (TRADING, GENERIC_FAQ, FEES), TRADING_BULLETS, TRADING_STEPS, "fees", 0.18, 0.0),
    _topic("margin", "faq", 2, "trading|margin", "leverage|liquidation|fees", (
        "How does margin trading work?", "What is the difference between cross and isolated margin?",
        "How is margin interest calculated?", "What happens at a margin call?",
    ), _FAQ_HEADINGS + "|Borrowing|Interest|Margin level|Cross and isolated|Repaying",
       (TRADING, DERIVATIVES, GENERIC_FAQ), TRADING_BULLETS, TRADING_STEPS, "risk", 0.22, 0.0),
    _topic("futures", "faq", 3, "trading|futures", "leverage|liquidation|funding-rate|copy-trading|insurance-fund", (
        "What are perpetual futures?", "How is the funding rate calculated?", "Why was my position liquidated?",
        "What is the difference between USDT-M and COIN-M futures?", "How does copy trading work?",
        "What is auto-deleveraging (ADL)?", "How do I add margin to a position?",
    ), _FAQ_HEADINGS + "|Funding|Margin and leverage|Liquidation|Mark price|Risk limits|Example",
       (DERIVATIVES, TRADING, GENERIC_FAQ), DERIVATIVE_BULLETS, TRADING_STEPS, "risk|spec", 0.29, 0.0),
    _topic("options", "faq", 1, "trading|options", "leverage|fees", (
        "How do options work on Meridian?", "When do options settle?", "What are the Greeks?",
    ), _FAQ_HEADINGS + "|Calls and puts|Settlement|Fees|Greeks",
       (DERIVATIVES, GENERIC_FAQ), DERIVATIVE_BULLETS, TRADING_STEPS, "spec", 0.22, 0.0),
    _topic("earn", "faq", 3, "earn|staking", "dual-investment|launchpad|stablecoins", (
        "How do Earn and staking rewards work?", "How long does unstaking {coin} take?",
        "Why did the APR on {coin} change?", "What is Dual Investment?", "How does the Launchpad work?",
        "Can I redeem Locked Savings early?",
    ), _FAQ_HEADINGS + "|Flexible and Locked Savings|Staking|Rewards|Redeeming|Risks",
       (EARN, GENERIC_FAQ), EARN_BULLETS, TRADING_STEPS, "earn", 0.29, 0.0),
    _topic("account", "faq", 4, "account", "sub-accounts|tax|reports|notifications|mobile-app|card|p2p|referrals|privacy", (
        "How do I create a sub-account?", "How do I download my tax statement?", "How do I change my {email} address?",
        "How do I close my account?", "How do I turn off marketing notifications?", "How do I order a Meridian Card?",
        "How does P2P trading work?", "How does the referral programme work?", "Which devices does the app support?",
        "How do I download my personal data?",
    ), _FAQ_HEADINGS + "|Sub-accounts|Statements and exports|Notifications|Closing your account|The Meridian Card|Referrals",
       (ACCOUNT, GENERIC_FAQ), ACCOUNT_BULLETS, SECURITY_STEPS, "", 0.11, 0.0),
    # announcements
    _topic("maintenance", "announcements", 5, "maintenance", "api|deposits|withdrawals|trading", (
        "Scheduled maintenance on {event_date}", "Planned maintenance of {service} on {event_date}",
        "System upgrade on {event_day}", "Maintenance windows for {month_year}",
        "Wallet maintenance: {coin} deposits paused on {event_date}",
    ), "What will be affected|Before the maintenance|During the maintenance|After the maintenance|API users|"
       "Deposits sent during the window|Timeline|Why we're doing this|Upcoming dates",
       (MAINTENANCE, GENERIC_ANN), ANN_BULLETS, (), "maintenance|timeline", 0.43, 0.05),
    _topic("listing", "announcements", 5, "listings", "spot|futures|promotions|stablecoins|layer-2", (
        "Meridian will list {coin_name} ({coin})", "{coin} spot trading starts on {event_date}",
        "New perpetual contract: {coin}-USDT with up to {leverage} leverage", "Meridian lists {coin_name} ({coin})",
        "{coin_name} ({coin}) now available on Convert and Earn",
    ), "Timeline|Details|About {coin_name}|Trading rules at launch|Fees|Risks|Deposits and withdrawals|Update",
       (LISTING, GENERIC_ANN), ANN_BULLETS, (), "timeline|networks", 0.4, 0.0),
    _topic("delisting", "announcements", 2, "delistings", "spot|futures|withdrawals", (
        "Delisting of {coin} on {event_date}", "Meridian will delist {coin_name} ({coin})",
        "Removal of {coin} trading pairs", "Delisting of {coin}-USDT-PERP",
    ), "Timeline|What you need to do|Open orders and positions|Earn and bots|Why we delist assets",
       (DELISTING, GENERIC_ANN), ANN_BULLETS, (), "timeline", 0.36, 0.0),
    _topic("network", "announcements", 3, "networks|maintenance", "deposits|withdrawals|airdrops|layer-2", (
        "{net_name} network upgrade: deposits and withdrawals paused on {event_date}",
        "Support for the {net_name} {upgrade} upgrade", "{coin} on {net_name} temporarily suspended",
        "Meridian now supports {coin} on {net_name}",
    ), "What's changing|Timeline|Do I need to do anything?|Affected networks|Airdrops and new tokens",
       (NETWORK_UPGRADE, GENERIC_ANN), ANN_BULLETS, (), "timeline|networks", 0.32, 0.0),
    _topic("fee-update", "announcements", 1, "fees", "vip|trading|spot|card", (
        "Fee schedule update for {month_year}", "Lower withdrawal fees on {net_name}", "Changes to card deposit fees",
    ), "What's changing|New fee tiers|When it applies|Examples|Why we're changing fees",
       (FEE_UPDATE, FEES, GENERIC_ANN), FEE_BULLETS, (), "fees", 0.58, 0.0),
    _topic("launch", "announcements", 2, "trading", "copy-trading|options|earn|card|p2p|grid-bots|launchpad|mobile-app", (
        "{product} is now available in {country}", "Introducing {product}", "{product}: now with new features",
        "{product} launches on {event_date}",
    ), "What's new|Who can use it|How to get started|Fees|Launch offer|Risks",
       (LAUNCH, GENERIC_ANN, TRADING), ANN_BULLETS, TRADING_STEPS, "fees", 0.22, 0.0),
    _topic("api-change", "announcements", 1, "api", "websocket|rate-limits|orders", (
        "API {version} deprecation timeline", "Changes to the {endpoint_title} endpoint", "New API rate limits from {event_date}",
    ), "What's changing|Timeline|What you need to do|Examples|Testing in the sandbox",
       (API_CHANGE, API, GENERIC_ANN), API_BULLETS, API_STEPS, "params|timeline", 0.36, 0.6),
    _topic("promo", "announcements", 2, "promotions", "airdrops|trading|spot|referrals", (
        "Trade {coin} and share {prize} USDT", "{month_year} trading competition", "New user rewards: up to {reward_cap} USDT",
    ), "How to take part|Rewards|Rules|Eligibility|Timeline",
       (PROMO, GENERIC_ANN), ANN_BULLETS, (), "timeline", 0.29, 0.0),
    _topic("legal", "announcements", 1, "legal|terms", "compliance|privacy|travel-rule", (
        "Update to our Terms of Use effective {event_date}", "Changes to our Privacy Notice", "Travel Rule update for users in {country}",
    ), "What's changing|When it applies|What you need to do|Your options",
       (LEGAL, GENERIC_ANN), ANN_BULLETS, (), "", 0.0, 0.0),
    _topic("incident", "announcements", 1, "maintenance", "deposits|withdrawals|trading|api", (
        "Resolved: delayed {coin} withdrawals on {event_date}", "Incident report: {service} on {event_date}",
        "{rail} deposits temporarily unavailable",
    ), "What happened|Impact|What we're doing|Compensation|Timeline",
       (INCIDENT, GENERIC_ANN), ANN_BULLETS, (), "timeline", 0.29, 0.0),
    # product documents
    _topic("api-reference", "product-documents", 6, "api", "orders|market-data|websocket|rate-limits|sub-accounts", (
        "API reference: {resource_title}", "API reference: {resource_title} ({version})",
        "WebSocket streams: {stream}", "API reference: authentication and request signing", "API error codes ({version})",
    ), "Overview|Authentication|Request|Parameters|Example request|Example response|Errors|Rate limits|Pagination|"
       "Fields|Subscribe|Messages|Changelog|Notes",
       (API, GENERIC_PD), API_BULLETS, API_STEPS, "params|errors", 0.61, 0.9),
    _topic("contract-spec", "product-documents", 4, "futures", "options|leverage|funding-rate|liquidation", (
        "{coin}-USDT perpetual contract specifications", "{coin} options contract specifications",
        "Risk limits for {coin}-USDT perpetual futures", "{coin} quarterly futures specifications",
    ), "Contract details|Margin and leverage|Risk limits|Funding|Settlement|Trading rules|Price limits",
       (DOCS_SPEC, DERIVATIVES, GENERIC_PD), DERIVATIVE_BULLETS, (), "spec|risk", 0.65, 0.1),
    _topic("fee-schedule", "product-documents", 3, "fees", "vip|withdrawals|trading|card", (
        "Fee schedule for {product}", "Withdrawal fees and minimums", "VIP programme fee tiers", "Fee schedule ({month_year})",
    ), "Trading fees|Withdrawal fees|Deposit fees|VIP tiers|Discounts|Calculation",
       (FEES, GENERIC_PD), FEE_BULLETS, (), "fees|networks", 0.68, 0.0),
    _topic("terms", "product-documents", 4, "terms", "earn|staking|copy-trading|card|p2p|legal|launchpad", (
        "{product} product terms", "{product} terms and conditions", "Risk disclosure for {product}",
    ), "Scope|Eligibility|How it works|Fees|Risks|Suspension|Termination|Complaints|Definitions",
       (DOCS_TERMS, EARN, GENERIC_PD), EARN_BULLETS, (), "earn", 0.25, 0.0),
    _topic("methodology", "product-documents", 3, "proof-of-reserves", "insurance-fund|market-data|futures", (
        "Index price methodology", "Proof of reserves methodology", "Security fund report for {month_year}",
        "Mark price methodology for {coin}-USDT-PERP",
    ), "Overview|Sources|Calculation|Safeguards|Verification|History|Example",
       (DOCS_METHOD, DERIVATIVES, GENERIC_PD), DERIVATIVE_BULLETS, (), "sources|spec", 0.43, 0.25),
)
_TOPICS_BY_CATEGORY = {c: tuple(t for t in TOPICS if t.category == c) for c in CATEGORIES}

_LINK_SENTENCES = (
    "See [{title}]({path}) for details.",
    "For the full steps, read [{title}]({path}).",
    "[{title}]({path}) explains this in more detail.",
    "If that doesn't help, [{title}]({path}) covers the most common causes.",
    "You may also find [{title}]({path}) useful.",
    "More about this in [{title}]({path}).",
    "We explain the background in [{title}]({path}).",
)
_SAFE_OPENERS = {"You", "We", "The", "This", "Your", "Each", "Every", "Most", "Some", "If", "A", "An", "It", "Our", "Trading", "Deposits", "Withdrawals", "Fees"}
OPENERS = _t(
    "In most cases,|Usually,|For security reasons,|Please note that|As a rule,|Where possible,|In rare cases,|"
    "On the mobile app,|On the web,|In practice,|By default,|At the moment,|For most users,|As a reminder,|"
    "Since {month_year},|From {event_date},|To be safe,|In short,|Importantly,"
)


# --- one article -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    index: int
    category: str
    slug: str
    title: str
    topic: str


class _Writer:
    """Fills templates for one article: its own Random and the values pinned for it."""

    _SLOT = re.compile(r"\{([a-z_0-9]+)\}")

    def __init__(self, rng: random.Random, ctx: dict[str, str]):
        self.rng = rng
        self.ctx = ctx
        self._sub = self._replace

    def _replace(self, m: re.Match[str]) -> str:
        name = m.group(1)
        value = self.ctx.get(name)
        if value is not None:
            return value
        source = SLOTS[name]
        return source(self) if callable(source) else self.rng.choice(source)

    def fill(self, template: str) -> str:
        for _ in range(4):
            if "{" not in template:
                break
            template = self._SLOT.sub(self._sub, template)
        return template

    def sentence(self, template: str) -> str:
        text = self.fill(template)
        first = text.split(" ", 1)[0]
        if first in _SAFE_OPENERS and self.rng.random() < 0.12:
            text = self.fill(self.rng.choice(OPENERS)) + " " + text[0].lower() + text[1:]
        return text[0].upper() + text[1:]

    def field(self) -> str:
        return f"{self.rng.choice(_FIELD_NOUNS)}_{self.rng.choice(_FIELD_PARTS)}"

    def endpoint(self) -> str:
        resource = self.rng.choice(RESOURCES)[0]
        method = self.rng.choice(("GET", "GET", "GET", "POST", "DELETE", "PUT"))
        return f"{method} /{self.ctx['version_path']}/{resource}"


def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _fmt_day(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def _category(seed: int, i: int) -> str:
    order = list(_CATEGORY_BLOCK)
    random.Random(f"{seed}:block:{i // 10}").shuffle(order)
    return order[i % 10]


def _weighted(rng: random.Random, topics: Sequence[_Topic]) -> _Topic:
    total = sum(t.weight for t in topics)
    pick = rng.randrange(total)
    for topic in topics:
        pick -= topic.weight
        if pick < 0:
            return topic
    raise AssertionError("unreachable")


def _word_target(rng: random.Random) -> int:
    """Skewed to the right, median about 450: mostly the square of a mean of three uniforms
    (a lognormal look-alike without exp/log), plus a fifth of long articles."""
    while True:
        if rng.random() < 0.24:
            words = int(680 + 400 * rng.random())
        else:
            m = (rng.random() + rng.random() + rng.random()) / 3
            words = int(110 + 1060 * m * m)
        if MIN_WORDS + 10 <= words <= MAX_WORDS - 130:
            return words


def _views(rng: random.Random, category: str, published: dt.date) -> int:
    """Pareto (alpha 1) with plain arithmetic: median in the tens to hundreds, a few in the 100,000s."""
    scale = {"faq": 60, "announcements": 35, "product-documents": 25}[category]
    age_years = (LAST_DATE - published).days / 365
    u = 0.0003 + 0.9997 * rng.random()  # bounds the tail below about 750,000
    return int(scale * (0.6 + age_years / 4) * (0.5 + rng.random()) / u)


def _context(rng: random.Random, topic: _Topic, published: dt.date) -> dict[str, str]:
    if rng.random() < 0.7:
        name, ticker, nets = rng.choice(REAL_COINS)
        networks = [NETWORKS[k] for k in nets]
    else:
        name, ticker = _fictional_coin(rng)
        if rng.random() < 0.5:
            label = rng.choice(("Mainnet", "Network", "Chain"))
            networks = [_Network(ticker.lower(), f"{name.split()[0]} {label}", ticker, f"the {name.split()[0]} explorer", rng.randint(1, 60))]
        else:
            networks = [NETWORKS[k] for k in rng.sample(_EVM, 2)]
    net = rng.choice(networks)
    net2 = NETWORKS[rng.choice(("tron", "solana", "arbitrum", "base", "polygon", "bsc", "ton", "optimism"))]
    fiat, rail = rng.choice(FIATS)
    lead = rng.randint(2, 21) if topic.category == "announcements" else rng.randint(7, 240)
    event = published + dt.timedelta(days=lead)
    later = event + dt.timedelta(days=rng.randint(3, 45))
    old = published - dt.timedelta(days=rng.randint(60, 900))
    major = rng.randint(1, 5)
    resource = rng.choice(RESOURCES)[0]
    t1 = rng.randint(0, 20)
    month = published + dt.timedelta(days=rng.randint(0, 60))
    return {
        "coin": ticker,
        "coin_name": name,
        "coin_kind": rng.choice(COIN_KIND),
        "coin_does": rng.choice(COIN_DOES),
        "net_name": net.name,
        "net_std": net.standard,
        "explorer": net.explorer,
        "confirmations": str(net.confirmations or 1),
        "net_name2": net2.name if net2.name != net.name else "Tron",
        "fiat": fiat,
        "rail": rail,
        "event_date": _fmt_date(event),
        "event_day": _fmt_day(event),
        "event_date2": _fmt_date(later),
        "old_date": _fmt_date(old),
        "month_year": f"{MONTHS[month.month - 1]} {month.year}",
        "time0": f"{max(t1 - 1, 0):02d}:00",
        "time1": f"{t1:02d}:{rng.choice(('00', '00', '30')) }",
        "time2": f"{t1 + rng.randint(1, 3):02d}:{rng.choice(('00', '30', '45'))}",
        "version": f"v{major}" if rng.random() < 0.6 else f"v{major}.{rng.randint(0, 9)}",
        "version_new": f"v{major + 1}",
        "version_path": f"v{major}",
        "auth_app": rng.choice(AUTH_APPS),
        "biometric": rng.choice(BIOMETRICS),
        "email": rng.choice(("email", "email", "e-mail")),
        "product": rng.choice(PRODUCTS),
        "level": rng.choice(("Level 1", "Level 2", "Level 2", "Level 3")),
        "country": rng.choice(COUNTRIES),
        "domain": "meridian.example",
        "hold": rng.choice(HOLDS),
        "token": rng.choice(TOKENS),
        "resource": resource,
        "resource_title": resource.replace("/", " ").replace("-", " "),
        "endpoint_title": f"/{resource}",
        "stream": rng.choice(STREAMS),
        "upgrade": rng.choice(_SYL_START).capitalize() + rng.choice(_SYL_END),
    }


def _count_words(text: str) -> int:
    """Words as a reader sees them: list markers, '|' and fences are not words."""
    n = 0
    for token in text.split():
        if not token.strip("|-:#*+") or token.startswith("```") or token == "!!!":
            continue
        if token[-1] == "." and token[:-1].isdigit():
            continue
        n += 1
    return n


class _Body:
    """Blocks of one article body with a running word count."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, int]] = []  # (kind, markdown, words)
        self.words = 0

    def add(self, kind: str, text: str) -> None:
        words = _count_words(text)
        self.blocks.append((kind, text, words))
        self.words += words

    def pop(self) -> None:
        _, _, words = self.blocks.pop()
        self.words -= words

    def text(self) -> str:
        return "\n\n".join(text for _, text, _ in self.blocks)


class _ArticleWriter:
    def __init__(self, seed: int, i: int, earlier: Sequence[_Meta], by_topic: dict[str, list[int]]):
        self.rng = rng = random.Random(f"{seed}:{i}")
        self.i = i
        self.category = _category(seed, i)
        self.topic = _weighted(rng, _TOPICS_BY_CATEGORY[self.category])
        offset = int(_SPAN_DAYS * max(rng.random(), rng.random()))
        self.published = FIRST_DATE + dt.timedelta(days=offset)
        self.w = _Writer(rng, _context(rng, self.topic, self.published))
        self.decks: dict[int, list[str]] = {}  # id(pool) -> templates not drawn yet; lookups only
        self.earlier = earlier
        self.by_topic = by_topic
        self.headings_used: list[str] = []

    # front matter ------------------------------------------------------------------------

    def front_matter(self, title: str, summary: str | None, tags: Sequence[str]) -> str:
        rng = self.rng
        lines = ["---", f"title: {_quote(title)}", f"category: {self.category}", f"published: {self.published.isoformat()}"]
        if rng.random() < 0.75:
            remaining = (LAST_DATE - self.published).days
            step = int(remaining * rng.random() * rng.random())
            lines.append(f"updated: {(self.published + dt.timedelta(days=step)).isoformat()}")
        lines.append(f"views: {_views(rng, self.category, self.published)}")
        lines.append(f"tags: [{', '.join(tags)}]")
        if summary:
            lines.append(f"summary: {_quote(summary)}")
        lines.append("---")
        return "\n".join(lines)

    def tags(self) -> list[str]:
        rng = self.rng
        topic = self.topic
        tags = list(topic.tags[: rng.randint(1, len(topic.tags))])
        want = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        extras = list(topic.extra_tags) + ([rng.choice(TAG_POOL)] if rng.random() < 0.15 else [])
        while len(tags) < want and extras:
            tag = extras.pop(rng.randrange(len(extras)))
            if tag not in tags:
                tags.append(tag)
        return tags[:4]

    def title(self) -> str:
        title = self.w.fill(self.rng.choice(self.topic.titles))
        if title.startswith("`"):
            title = title.strip("`")
        return title.replace("`", "")

    def summary(self) -> str | None:
        if self.rng.random() >= 0.33:
            return None
        pool = self.topic.pools[0]
        text = self.w.sentence(self.rng.choice(pool))
        if len(text) < 110:
            text += " " + self.w.sentence(self.rng.choice(pool))
        return text.replace("`", "").replace("**", "").replace("*", "")

    # prose -------------------------------------------------------------------------------

    def draw(self, pool: Sequence[str]) -> str:
        """The next template from a shuffled deck of ``pool``: no repeats until it runs out."""
        deck = self.decks.get(id(pool))
        if not deck:
            deck = list(pool)
            self.rng.shuffle(deck)
            self.decks[id(pool)] = deck
        return deck.pop()

    def pick_sentence(self) -> str:
        rng = self.rng
        pools = self.topic.pools
        pool = pools[0] if rng.random() < 0.6 or len(pools) == 1 else rng.choice(pools[1:])
        return self.w.sentence(self.draw(pool))

    def paragraph(self, sentences: int | None = None) -> str:
        count = sentences or self.rng.choice((2, 2, 3, 3, 3, 4, 4, 5))
        return " ".join(self.pick_sentence() for _ in range(count))

    def heading(self, level: int = 2) -> str:
        rng = self.rng
        for _ in range(8):
            text = self.w.fill(self.draw(self.topic.headings))
            if text not in self.headings_used:
                break
        else:
            text = self.w.fill(rng.choice(self.topic.headings)) + " " + rng.choice(("in detail", "explained", "for {coin}", "on {net_name}"))
            text = self.w.fill(text)
        self.headings_used.append(text)
        return "#" * level + " " + text

    def bullets(self) -> str:
        rng = self.rng
        items = self.topic.bullets or SECURITY_BULLETS
        count = rng.randint(3, min(6, len(items)))
        capital, end = rng.choice(((False, ""), (True, ""), (False, ";"), (True, ".")))
        nested = 1 + rng.randrange(count - 1) if rng.random() < 0.2 else -1

        def item(text: str, last: bool) -> str:
            text = self.w.fill(text)
            if capital:
                text = text[0].upper() + text[1:]
            if end and not text.endswith((".", "?")):
                text += "." if last else end
            return text

        lines = []
        for k in range(count):
            lines.append(f"- {item(self.draw(items), k == count - 1)}")
            if k == nested:
                lines.extend(f"    - {item(self.draw(items), False)}" for _ in range(rng.randint(2, 3)))
        return "\n".join(lines)

    def steps(self) -> str:
        rng = self.rng
        pool = self.topic.steps or (DEPOSIT_STEPS + WITHDRAWAL_STEPS)
        count = rng.randint(3, min(8, len(pool)))
        start = rng.randrange(max(1, len(pool) - count + 1))
        chosen = list(pool[start : start + count])
        lines = []
        for k, step in enumerate(chosen, start=1):
            lines.append(f"{k}. {self.w.fill(step)}")
            if rng.random() < 0.12:
                lines.append(f"    - {self.pick_sentence()}")
        return "\n".join(lines)

    def note(self) -> str:
        rng = self.rng
        kind = rng.choice(("note", "tip", "warning"))
        title = rng.choice(("Good to know", "Before you continue", "Important", "Keep this safe", "Tip", "Check the network"))
        return f'!!! {kind} "{title}"\n\n    {self.paragraph(2)}'

    # body --------------------------------------------------------------------------------

    def body(self, target: int) -> _Body:
        rng = self.rng
        topic = self.topic
        body = _Body()
        body.add("p", self.paragraph(rng.choice((2, 3, 3, 4))))
        if rng.random() < 0.5:
            body.add("p", self.paragraph())
        tables = 0
        if rng.random() < topic.table_rate and topic.tables:
            tables = 1 + (rng.random() < 0.3 and topic.category == "product-documents")
        codes = 0
        if rng.random() < topic.code_rate:
            codes = rng.randint(1, 3)
        elif rng.random() < 0.02:
            codes = 1
        sections = max(1 if target < 260 else 2, min(6, round(target / (125 + 100 * rng.random()))))
        per_section = max(40, (target - body.words) // sections)
        faq_done = False
        for s in range(sections):
            goal = body.words + per_section
            body.add("h2", self.heading())
            body.add("p", self.paragraph())
            roll = rng.random()
            if tables and (roll < 0.5 or s == sections - 1 or s >= 1):
                body.add("table", self.table())
                tables -= 1
            elif codes and (roll < 0.6 or s >= 1):
                body.add("code", self.code())
                codes -= 1
                if codes and rng.random() < 0.5:
                    body.add("p", self.paragraph(rng.randint(1, 2)))
                    body.add("code", self.code())
                    codes -= 1
            elif roll < 0.3:
                body.add("ul", self.bullets())
            elif roll < 0.5:
                body.add("ol", self.steps())
            elif roll < 0.62 and not faq_done and topic.category == "faq" and sections <= 4:
                faq_done = True
                for _ in range(rng.randint(2, 3)):
                    question = self.w.fill(self.draw(topic.titles))
                    if question.endswith("?") and question not in self.headings_used:
                        self.headings_used.append(question)
                        body.add("h3", "### " + question)
                        body.add("p", self.paragraph(rng.randint(2, 3)))
            elif roll < 0.72 and sections <= 5:
                body.add("h3", self.heading(3))
                body.add("p", self.paragraph())
                if rng.random() < 0.5:
                    body.add("ul", self.bullets())
            elif roll < 0.77:
                body.add("note", self.note())
            extra = 0
            while body.words < goal - 25 and extra < 4:
                body.add("p", self.paragraph())
                extra += 1
        while body.words > target + 30 and len(body.blocks) > 3:
            body.pop()
            while body.blocks[-1][0] in ("h2", "h3"):
                body.pop()
        while body.words < target - 25:
            body.add("p", self.paragraph(rng.randint(1, 3)))
        if topic.category == "announcements" and rng.random() < 0.4:
            body.add("p", rng.choice(("Thank you for your patience.", "The Meridian team", "Thank you for choosing Meridian.")))
        while body.words < MIN_WORDS + 10:
            body.add("p", self.paragraph())
        return body

    def links(self, body: _Body) -> None:
        rng = self.rng
        if self.i == 0:
            return
        count = min(self.i, rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4)))
        targets: list[int] = []
        same = self.by_topic.get(self.topic.key, [])
        for _ in range(count * 3):
            if len(targets) == count:
                break
            j = rng.choice(same) if same and rng.random() < 0.7 else rng.randrange(self.i)
            if j not in targets:
                targets.append(j)
        if not targets:
            return
        texts = []
        for j in targets:
            meta = self.earlier[j]
            path = f"{meta.slug}.md" if meta.category == self.category else f"../{meta.category}/{meta.slug}.md"
            texts.append((meta.title, path))
        paragraphs = [k for k, (kind, _, _) in enumerate(body.blocks) if kind == "p"]
        room = MAX_WORDS - 20 - body.words  # the renderer may count a few more words than we do
        if len(texts) >= 3 and rng.random() < 0.4:
            items = "\n".join(f"- [{t}]({p})" for t, p in texts)
            if _count_words(items) + 2 <= room:
                body.add("h2", "## Related articles")
                body.add("ul", items)
            return
        for title, path in texts:
            sentence = rng.choice(_LINK_SENTENCES).format(title=title, path=path)
            words = _count_words(sentence)
            if words > room:
                continue
            room -= words
            k = rng.choice(paragraphs)
            kind, text, old = body.blocks[k]
            body.blocks[k] = (kind, text + " " + sentence, old + words)
            body.words += words

    # tables and code ---------------------------------------------------------------------

    def table(self) -> str:
        kind = self.rng.choice(self.topic.tables)
        return _TABLES[kind](self)

    def code(self) -> str:
        rng = self.rng
        if self.topic.code_rate < 0.3:
            lang = rng.choice(("text", "bash", "json"))
        else:
            lang = rng.choice(CODE_LANGS_API)
        return _CODE[lang](self)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return "\n".join([_row(header), "|" + "---|" * len(header)] + [_row(r) for r in rows])


def _table_networks(a: _ArticleWriter) -> str:
    rng, w = a.rng, a.w
    keys = rng.sample(sorted(NETWORKS), rng.randint(3, 6))
    rows = []
    for key in keys:
        net = NETWORKS[key]
        rows.append((net.name, f"`{net.standard}`", str(net.confirmations or 1), _amount(w), _amount(w),
                     "Yes" if net.memo else "No"))
    return _table(("Network", "Standard", "Confirmations", "Minimum deposit", "Withdrawal fee", "Memo needed"), rows)


def _table_fees(a: _ArticleWriter) -> str:
    rng = a.rng
    rows = []
    maker, taker, volume = rng.randint(60, 100), rng.randint(80, 120), 0
    for tier in range(rng.randint(4, 9)):
        rows.append((f"VIP {tier}" if tier else "Regular", f"{volume:,}" if tier else "Under 1,000,000",
                     f"{rng.choice((0, 100, 500, 1000, 5000)) * tier:,} {a.w.ctx['token']}",
                     f"0.{maker:03d}%", f"0.{taker:03d}%"))
        maker = max(0, maker - rng.randint(1, 2))
        taker = max(maker, taker - rng.randint(0, 10))
        volume = (volume or 1_000_000) * rng.choice((2, 3, 5))
    return _table(("Tier", "30-day volume (USDT)", "Balance", "Maker", "Taker"), rows)


def _table_maintenance(a: _ArticleWriter) -> str:
    rng = a.rng
    rows = []
    for service in rng.sample(SERVICES, rng.randint(3, 7)):
        start = _time(rng)
        rows.append((service[0].upper() + service[1:], start, rng.choice((_time(rng), "Not affected"))))
    return _table(("Service", "Unavailable from (UTC)", "Expected back (UTC)"), rows)


def _table_timeline(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    steps = (f"{ctx['coin']} deposits open", "Post-only trading begins", f"Continuous trading on `{ctx['coin']}-USDT`",
             f"{ctx['coin']} withdrawals open", "Registration opens", "Event ends", "Rewards distributed",
             "Old endpoints return HTTP 410", "Deposits and withdrawals suspended", "Services resume")
    rows = [(step, f"{ctx['event_day']}, {_time(rng)}" if k % 2 == 0 else f"{ctx['event_date2']}, {_time(rng)}")
            for k, step in enumerate(rng.sample(steps, rng.randint(3, 5)))]
    return _table(("Step", "Date and time (UTC)"), rows)


def _table_limits(a: _ArticleWriter) -> str:
    rng, w = a.rng, a.w
    rows = [
        ("Level 1", f"{w.ctx['email'].capitalize()} and phone", "Crypto only", _fiat_amount(w)),
        ("Level 2", "ID document and selfie", _fiat_amount(w), _fiat_amount(w)),
        ("Level 3", "Proof of address and source of funds", _fiat_amount(w), rng.choice(("Custom", _fiat_amount(w)))),
    ]
    return _table(("Level", "Requirements", "Daily fiat deposits", "Daily withdrawals"), rows)


def _table_documents(a: _ArticleWriter) -> str:
    rng = a.rng
    rows = [(doc.capitalize(), rng.choice(("Identity", "Identity and age", "Identity (with a second document)")),
             rng.choice(("Both sides", "Photo page only", "Must be valid for 3 more months", "Not accepted from some countries")))
            for doc in rng.sample(DOCS, rng.randint(3, 5))]
    rows += [(doc[2:].capitalize() if doc.startswith("a ") else doc[3:].capitalize(), "Proof of address", "Dated within 3 months")
             for doc in rng.sample(ADDRESS_DOCS, 2)]
    return _table(("Document", "Accepted for", "Notes"), rows)


def _table_methods(a: _ArticleWriter) -> str:
    rows = [
        ("Passkey", "Yes", "Yes", "Another device with a passkey"),
        ("Security key", "Yes", "Yes", "A second key"),
        ("Authenticator app", "No", "Yes", "Recovery codes or backup"),
        ("SMS", "No", "No", "Your mobile carrier"),
        ("Email code", "No", "No", "Your email provider"),
    ]
    return _table(("Method", "Phishing-resistant", "Works offline", "Recovery"), a.rng.sample(rows, a.rng.randint(3, 5)))


def _table_params(a: _ArticleWriter) -> str:
    rng, w = a.rng, a.w
    resource = next((r for r in RESOURCES if r[0] == w.ctx["resource"]), RESOURCES[0])
    fields = list(resource[1]) + [w.field() for _ in range(rng.randint(0, 3))]
    rows = []
    for name in fields[: rng.randint(4, len(fields))]:
        kind = "string" if not name.endswith(("_at", "time", "count", "confirmations")) else rng.choice(("integer", "string"))
        rows.append((f"`{name}`", kind, rng.choice(("Yes", "No", "No", "For limit types")),
                     w.fill(rng.choice(("The {resource} identifier", "Filter by {param}", "Defaults to `{default}`",
                                        "Milliseconds since the epoch", "One of the values listed above",
                                        "Up to 36 characters", "Must be a multiple of the step size",
                                        "Returned only for {product}", "Ignored unless `{param}` is set")))))
    return _table(("Name", "Type", "Required", "Description"), rows)


def _table_errors(a: _ArticleWriter) -> str:
    rng = a.rng
    meanings = ("Invalid signature", "Timestamp outside the receive window", "Insufficient balance", "Unknown symbol",
                "Quantity below the minimum", "Price not a multiple of the tick size", "Duplicate client order ID",
                "Permission denied for this key", "IP address not allowed", "Too many requests",
                "Order not found", "Market closed", "Position would exceed the risk limit", "Service unavailable")
    rows = [(f"`{rng.randint(40001, 50399)}`", rng.choice(ERRORS_HTTP), m) for m in rng.sample(meanings, rng.randint(4, 8))]
    return _table(("Code", "HTTP status", "Meaning"), rows)


def _table_spec(a: _ArticleWriter) -> str:
    rng, w = a.rng, a.w
    coin = w.ctx["coin"]
    rows = [
        ("Symbol", f"`{coin}-USDT-PERP`"),
        ("Contract type", rng.choice(("Linear perpetual", "Inverse perpetual", "Quarterly delivery", "European option"))),
        ("Contract size", f"{w.fill('{contract_size}')} {coin}"),
        ("Tick size", w.fill("{tick}")),
        ("Maximum leverage", w.fill("{leverage}")),
        ("Funding interval", rng.choice(("8 hours", "4 hours", "1 hour"))),
        ("Funding rate cap", w.fill("{funding_cap}")),
        ("Maintenance margin", w.fill("{mmr}")),
        ("Settlement asset", rng.choice(("USDT", coin))),
        ("Maximum market order", w.fill("{max_market_qty} contracts")),
        ("Trading hours", "24/7"),
    ]
    return _table(("Parameter", "Value"), rows[: rng.randint(5, len(rows))])


def _table_risk(a: _ArticleWriter) -> str:
    rng = a.rng
    rows, size, lev, mmr = [], rng.choice((50_000, 100_000, 250_000)), rng.choice((50, 75, 100, 125)), rng.randint(40, 100)
    for tier in range(1, rng.randint(4, 9)):
        rows.append((str(tier), f"{size:,}", f"{lev}x", f"{mmr / 100:.2f}%"))
        size *= 2
        lev = max(1, lev // 2)
        mmr += rng.choice((25, 50, 100))
    return _table(("Tier", "Position size up to (USDT)", "Maximum leverage", "Maintenance margin rate"), rows)


def _table_earn(a: _ArticleWriter) -> str:
    rng, w = a.rng, a.w
    rows = []
    for _ in range(rng.randint(3, 6)):
        product = rng.choice(("Flexible Savings", "Locked Savings", "Staking", "Dual Investment"))
        term = "Flexible" if product == "Flexible Savings" else f"{rng.choice((7, 14, 30, 60, 90, 120))} days"
        rows.append((product, term, w.fill("{apr}"), _amount(w)))
    return _table(("Product", "Term", "APR", "Minimum"), rows)


def _table_sources(a: _ArticleWriter) -> str:
    rng = a.rng
    names = [(_fictional_coin(rng)[0].split()[0] + rng.choice((" Exchange", "X", " Markets", "Bit", " Pro"))) for _ in range(rng.randint(4, 8))]
    rows = [(name, f"`{a.w.ctx['coin']}-USDT`", f"{rng.randint(5, 30)}%", rng.choice(("Active", "Active", "Suspended"))) for name in names]
    return _table(("Source", "Pair", "Weight", "Status"), rows)


_TABLES: dict[str, Callable[[_ArticleWriter], str]] = {
    "networks": _table_networks, "fees": _table_fees, "maintenance": _table_maintenance, "timeline": _table_timeline,
    "limits": _table_limits, "documents": _table_documents, "methods": _table_methods, "params": _table_params,
    "errors": _table_errors, "spec": _table_spec, "risk": _table_risk, "earn": _table_earn, "sources": _table_sources,
    "levels": _table_limits,
}


def _sample_value(a: _ArticleWriter, name: str) -> object:
    rng, ctx = a.rng, a.w.ctx
    if name.endswith("_id") or name == "key_id":
        return str(rng.randint(10**14, 10**16))
    if name.endswith(("_at", "_time")):
        return f"{a.published.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z"
    if name in ("symbol",):
        return f"{ctx['coin']}-USDT"
    if name in ("currency", "base", "fee_currency", "from_currency"):
        return ctx["coin"]
    if name in ("quote", "to_currency"):
        return "USDT"
    if name == "side":
        return rng.choice(("buy", "sell"))
    if name in ("status",):
        return rng.choice(("open", "filled", "cancelled", "pending", "completed", "processing"))
    if name == "network":
        return ctx["net_std"]
    if name == "address":
        return "0x" + _hexstr(rng, 40)
    if name == "tx_id":
        return "0x" + _hexstr(rng, 64)
    if name in ("confirmations", "tier", "term_days", "leverage"):
        return rng.randint(1, 125)
    if name in ("whitelisted",):
        return rng.random() < 0.5
    if name == "permissions":
        return rng.sample(["read", "trade", "transfer", "withdraw"], rng.randint(1, 3))
    if name in ("type",):
        return rng.choice(("limit", "market", "stop_limit", "stop_market"))
    if name == "time_in_force":
        return rng.choice(("gtc", "ioc", "fok", "post_only"))
    if name in ("memo", "label", "email", "ip_whitelist"):
        return rng.choice(("", "grid-7", "main", "bot-" + str(rng.randint(1, 99)), None))
    return _decimal(rng, 1, 9_999_999, rng.choice((2, 4, 6)))


def _code_json(a: _ArticleWriter) -> str:
    rng = a.rng
    resource = next((r for r in RESOURCES if r[0] == a.w.ctx["resource"]), rng.choice(RESOURCES))
    fields = resource[1][: rng.randint(4, len(resource[1]))]
    record = {name: _sample_value(a, name) for name in fields}
    if rng.random() < 0.4:
        payload: object = {"code": 0, "data": [record, {name: _sample_value(a, name) for name in fields}][: rng.randint(1, 2)],
                           "next_cursor": _hexstr(rng, 16) if rng.random() < 0.5 else None}
    else:
        payload = record
    return "```json\n" + json.dumps(payload, indent=2) + "\n```"


def _code_bash(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    method = rng.choice(("GET", "POST", "DELETE"))
    path = f"/{ctx['version_path']}/{ctx['resource']}"
    query = f"?symbol={ctx['coin']}-USDT&limit={rng.choice((10, 50, 100, 500))}" if method == "GET" else ""
    lines = [f'curl -X {method} "https://api.meridian.example{path}{query}" \\',
             '  -H "MX-API-KEY: $MX_API_KEY" \\',
             f'  -H "MX-TIMESTAMP: {rng.randint(1_546_300_800_000, 1_782_777_600_000)}" \\',
             '  -H "MX-SIGNATURE: $SIGNATURE"']
    if method == "POST":
        lines[-1] += " \\"
        lines.append('  -H "Content-Type: application/json" \\')
        lines.append(f"  -d '{{\"symbol\": \"{ctx['coin']}-USDT\", \"side\": \"{rng.choice(('buy', 'sell'))}\", \"quantity\": \"{_decimal(rng, 1, 99999, 4)}\"}}'")
    return "```bash\n" + "\n".join(lines) + "\n```"


def _code_python(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    name = rng.choice(("sign", "sign_request", "signed_headers", "make_signature", "auth_headers"))
    path = f"/{ctx['version_path']}/{ctx['resource']}"
    text = f'''import hashlib
import hmac
import time

import requests

API_KEY = "{_hexstr(rng, 16)}"
API_SECRET = "..."  # never commit your secret


def {name}(method: str, path: str, body: str = "") -> dict[str, str]:
    timestamp = str(int(time.time() * 1000))
    payload = timestamp + method + path + body
    signature = hmac.new(API_SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return {{"MX-API-KEY": API_KEY, "MX-TIMESTAMP": timestamp, "MX-SIGNATURE": signature}}


response = requests.get(
    "https://api.meridian.example{path}",
    params={{"symbol": "{ctx['coin']}-USDT", "limit": {rng.choice((20, 50, 100))}}},
    headers={name}("GET", "{path}"),
    timeout={rng.choice((5, 10, 15))},
)
response.raise_for_status()
print(response.json())'''
    return "```python\n" + text + "\n```"


def _code_javascript(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    channel = ctx["stream"]
    text = f'''const ws = new WebSocket("wss://stream.meridian.example/ws");

ws.addEventListener("open", () => {{
  ws.send(JSON.stringify({{ op: "subscribe", channel: "{channel}", symbol: "{ctx['coin']}-USDT" }}));
  setInterval(() => ws.send(JSON.stringify({{ op: "ping" }})), {rng.choice((15, 20, 25))}000);
}});

ws.addEventListener("message", (event) => {{
  const message = JSON.parse(event.data);
  if (message.channel === "{channel}") {{
    console.log(message.data);
  }}
}});'''
    return "```javascript\n" + text + "\n```"


def _code_http(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    path = f"/{ctx['version_path']}/{ctx['resource']}"
    text = (f"GET {path}?limit={rng.choice((10, 50, 100))}&cursor={_hexstr(rng, 12)} HTTP/1.1\n"
            "Host: api.meridian.example\n"
            f"MX-API-KEY: {_hexstr(rng, 16)}\n"
            f"MX-TIMESTAMP: {rng.randint(1_546_300_800_000, 1_782_777_600_000)}\n"
            f"MX-SIGNATURE: {_hexstr(rng, 64)}")
    return "```http\n" + text + "\n```"


def _code_text(a: _ArticleWriter) -> str:
    rng, ctx = a.rng, a.w.ctx
    lines = [f"Network:  {ctx['net_name']} ({ctx['net_std']})",
             f"Address:  {rng.choice(('0x', 'T', 'bc1q', 'r'))}{_hexstr(rng, 34)}",
             f"Memo:     {rng.randint(100000, 999999999)}",
             f"Amount:   {_amount(a.w)}",
             f"TXID:     {_hexstr(rng, 64)}"]
    return "```text\n" + "\n".join(lines[: rng.randint(2, 5)]) + "\n```"


_CODE: dict[str, Callable[[_ArticleWriter], str]] = {
    "json": _code_json, "bash": _code_bash, "python": _code_python, "javascript": _code_javascript,
    "http": _code_http, "text": _code_text,
}


def _quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(title: str, i: int) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(base) > 60:
        base = base[:60].rsplit("-", 1)[0]
    return f"{base}-{i:05d}" if base else f"article-{i:05d}"


def _article(seed: int, i: int, earlier: Sequence[_Meta], by_topic: dict[str, list[int]]) -> tuple[_Meta, str]:
    a = _ArticleWriter(seed, i, earlier, by_topic)
    title = a.title()
    tags = a.tags()
    summary = a.summary()
    target = _word_target(a.rng)
    body = a.body(target)
    a.links(body)
    meta = _Meta(i, a.category, _slug(title, i), title, a.topic.key)
    return meta, a.front_matter(title, summary, tags) + "\n" + body.text() + "\n"


def generate(folder: Path, n: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``n`` articles under ``folder/articles/<category>/`` and return their paths in index order."""
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    root = Path(folder) / "articles"
    for category in CATEGORIES:
        (root / category).mkdir(parents=True, exist_ok=True)
    metas: list[_Meta] = []
    by_topic: dict[str, list[int]] = {}
    paths: list[Path] = []
    for i in range(n):
        meta, text = _article(seed, i, metas, by_topic)
        metas.append(meta)
        by_topic.setdefault(meta.topic, []).append(i)
        path = root / meta.category / f"{meta.slug}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="site folder to write articles/ into")
    parser.add_argument("--n", type=int, default=10_000, help="number of articles (default 10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.out_dir, args.n, args.seed)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} articles written, {size / 1_000_000:.1f} MB of Markdown, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
