"""Word lists for the spliced-task and reply-manipulation checks of :mod:`.injection`.

``DOMAIN_WORDS`` is what support messages and the e-mails they quote talk about (money, accounts, LIVE); a
question that uses none of it and shares no words with its surroundings is foreign to the message.
"""

from __future__ import annotations

from app.triage.signals.patterns import compile_rx

_LANGUAGES = (
    r"(?:french|spanish|german|italian|portuguese|russian|japanese|chinese|mandarin|cantonese|korean|arabic|hindi|"
    r"dutch|swedish|greek|latin|turkish|polish|hebrew|english|vietnamese|thai|indonesian|swahili|norwegian|danish|"
    r"finnish|czech|romanian|hungarian|ukrainian|persian|farsi|urdu|bengali|tagalog|malay|esperanto|klingon)"
)

TASK_OPENER = compile_rx(
    r"^(?:(?:please|kindly|now|also|and|then|hey|ok|okay|so|next|finally|first|quickly|briefly|additionally|lastly)[,\s]+)*"
    r"(?:(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:write|compose|draft|develop|create|generate|produce|provide|"
    r"give|list|explain|describe|summari[sz]e|outline|break\s+down|translate|define|compare|contrast|tell\s+me|show\s+me|"
    r"teach\s+me|solve|calculate|compute|analy[sz]e|discuss|elaborate\s+on|recommend|suggest|convert|rewrite|paraphrase|"
    r"implement|debug|illustrate|demonstrate|brainstorm|invent|imagine|craft|prepare|sing|recite|spell|predict|evaluate|"
    r"critique|help\s+me\s+(?:understand|write|learn|with|solve)|share|name|identify|state|estimate|determine|guess)\s+"
    r"(?:a|an|the|me|us|some|any|\d+|two|three|four|five|ten|several|how|why|what|who|when|where|which|this|these|those|in|"
    r"on|about|briefly|simply|step|your|one|following|main|key|top|best|short|simple|brief|detailed|[a-z]+'s)\b"
    r"|(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:explain|describe|summari[sz]e|define|translate|compose|draft|"
    r"outline|elaborate\s+on)\s+[a-z]"
    r"|(?:what|who|whom|whose|when|where|why|which|how)\b[^?]*\?)"
)

STRONG_TOPIC = compile_rx(
    r"\b(?:in|into|to|from)\s+" + _LANGUAGES + r"\b|\b" + _LANGUAGES + r"\s+(?:equivalent|translation|word|for)\b"
    r"|\bhow\s+do\s+(?:you|i|we)\s+say\b|\btranslat\w+\b"
    r"|\b(?:python|javascript|java|c\+\+|c#|php|sql|mysql|postgres\w*|html|css|typescript|ruby|rust|golang|kotlin|swift|"
    r"function|recursion|algorithm|array|variable|loop|regex|compiler?|syntax|programming|source\s+code|snippet|script)\b"
    r"|\b(?:poem|poetry|haiku|sonnet|limerick|story|stories|essay|speech|song|lyrics|joke|riddle|recipe|slogan|tagline|"
    r"novel|fairy\s+tale|fable|ode|ballad)\b"
    r"|\b(?:theory|theorem|equations?|photosynthesis|relativity|physics|chemistry|biology|geography|astronomy|calculus|"
    r"algebra|geometry|quadratic|factorial|fibonacci|molecule|atoms?|planets?|universe|galaxy|solar|volcano\w*|"
    r"lifecycle|life\s+cycle|ecosystem|evolution|dinosaurs?|capital\s+of|world\s+war|revolution|empire|ancient|"
    r"century|shakespeare|painting|painted|composer|invented|inventor|discovered|author\s+of|wrote\s+the|liver|kidney|"
    r"heart|brain|lungs?|continents?|oceans?|mountains?|rivers?|climate|weather|countries|country|capital)\b"
)

TRANSFORM = compile_rx(
    r"\b(?:letters?|vowels?|consonants?|symbols?|typos?|misspell\w*|anagram\w*|spaces|punctuation|scrambl\w*|jumbl\w*|"
    r"rearrang\w*|substitut\w*|cipher\w*|encod\w*|encrypt\w*|base64|rot13|backwards|reverse\s+order|upper\s*case|"
    r"lower\s*case|all\s+caps|capital\s+letters|emojis?|emoticons?|pig\s+latin|morse|leet|l33t|upside[\s-]down|rhym\w*|"
    r"alliterat\w*|pirate|shakespearean|homophon\w*|alphanumeric|every\s+(?:\w+\s+)?(?:word|letter|sentence|line)|"
    r"groups?\s+of|sets?\s+of|in\s+(?:fours|threes|pairs|twos)|without\s+(?:using\s+)?(?:any\s+)?(?:spaces|punctuation|vowels)|"
    r"numbers?\s+for|with\s+numbers|(?:in|into|to)\s+" + _LANGUAGES + r")\b"
)


def _words(text: str) -> list[str]:
    return text.split()


DOMAIN_WORDS: frozenset[str] = frozenset(
    _words(
        """
        account accounts coin coins gift gifts gifting gifted live lives stream streams streaming streamed streamer
        streamers creator creators host hosts hosting agency agencies backstage diamond diamonds payout payouts
        reward rewards withdraw withdrawal withdrawals withdrawn balance wallet recharge recharged recharges refund
        refunds refunded charge charged charges card cards payment payments paid pay paying bank banking paypal
        transaction transactions purchase purchases purchased bought buy buying order orders invoice invoices
        receipt receipts subscription subscriptions subscribe subscribed price prices pricing fee fees money cash
        dollar dollars usd eur euro euros amount amounts credit credited debit debited transfer transfers wire ach
        tax taxes password passwords login logged email emails phone app apps ban banned suspend suspended
        suspension restriction restricted appeal appeals violation violations strike strikes report reported
        reporting policy policies support ticket tickets case cases issue issues problem problems error errors bug
        bugs crash crashed crashes update updates version video videos follower followers comment comments chat
        chats message messages profile username verify verified verification security hacked hacker scam scammer
        scammed fraud streak battle battles rank ranking team staff moderator moderators admin privacy data delete
        deleted deletion gdpr ccpa police lawyer court harassment harassed threat threats threatened safety minor
        minors agent agents contract contracts statement statements checking savings deposit deposits deposited
        booking customer customers account's notification notifications unsubscribe inbox reply replied response
        responses respond answer answered question questions waiting contact contacted streamnest tiktok twitch
        youtube viewer viewers fan fans follow followed unfollow block blocked mute muted dispute disputes
        chargeback chargebacks lawsuit regulator ftc coins' gifting host's earnings earn earned income business
        company companies employee employees hire hiring salary payroll billing billed bill bills subtotal total
        cost costs discount discounts promo coupon trial plan plans premium upgrade downgrade cancel cancelled
        cancellation renew renewal device devices iphone android browser website site link links url download
        install installed
        status review reviewed requester requesters specialist specialists escalate escalated escalation timeline
        resolution resolve resolved complaint complaints queue priority evidence screenshot screenshots receipt
        appeal appeals decision decisions team case cases
                exchange rate rates currency currencies atm pending freeze frozen limit limits spending statement
        """
    )
)

STOPWORDS: frozenset[str] = frozenset(
    _words(
        """
        the and but for nor yet with from into onto upon about above below over under again further then once here
        there when where why how all any both each few more most other some such only own same than too very can
        could will would shall should may might must have has had having been being are was were is am be you your
        yours yourself they them their theirs she her hers him his its it's this that these those what which who
        whom whose not don't doesn't didn't isn't wasn't aren't weren't won't can't couldn't wouldn't shouldn't also
        just even still already ever never always really please thanks thank hello hey dear did does doing done make
        made makes making get gets got getting take takes took taken give gives gave given come came comes going
        gone know knew known think thought say said says see saw seen want wants wanted need needs needed use used
        uses using work works worked working find found like likes look looks looked way ways thing things something
        anything nothing everything someone anyone everyone people person time times day days today tomorrow
        yesterday week weeks month months year years back right wrong good bad new old first last next much many lot
        lots sure okay yes let lets able via per one two three four five etc also within without through during
        before after between while because since until unless whether either neither our ours ourselves we us me my
        mine myself i'm i've i'd i'll you're you've you'll you'd he's she's they're we're it'd there's that's what's
        who's how's let's ask asked tell told show showed shown try tried keep kept put puts long soon now later
        again well best better simple short brief main key top following below above example examples kind sort type
        much very quite rather maybe perhaps probably actually basically literally
        """
    )
)
