"""Text templates and tables for :mod:`aitrail.synthetic`, apart so the generator stays short.

Placeholders are ``{slot}`` names filled from :data:`SLOTS` (one pick per call, reused within
it); unknown braces, as in code snippets, are left alone. The clean templates deliberately hold
no names, places, emails, phone numbers, IPs or long digit runs: any PII the detector finds in
synthetic traffic must be a value the generator planted and recorded.
"""

from __future__ import annotations

TENANT_NAMES: dict[str, str] = {
    "acme": "Acme Corp", "globex": "Globex", "initech": "Initech", "umbrella": "Umbrella Health",
    "hooli": "Hooli", "soylent": "Soylent Foods", "wonka": "Wonka Industries",
    "tyrell": "Tyrell Systems", "cyberdyne": "Cyberdyne", "vandelay": "Vandelay Imports",
}

#: provider -> (model, model_version, ms per output token, weight); realistic pairs.
MODELS: dict[str, tuple[tuple[str, str, float, int], ...]] = {
    "openai": (("gpt-4o", "gpt-4o-2024-08-06", 12.0, 5),
               ("gpt-4o-mini", "gpt-4o-mini-2024-07-18", 6.0, 6)),
    "anthropic": (("claude-sonnet-4", "claude-sonnet-4-20250514", 14.0, 5),
                  ("claude-haiku-4-5", "claude-haiku-4-5-20251001", 5.0, 3)),
    "azure-openai": (("gpt-4.1", "2025-04-14", 11.0, 4), ("gpt-4o", "2024-11-20", 12.0, 2)),
    "google": (("gemini-2.5-pro", "gemini-2.5-pro-002", 13.0, 3),
               ("gemini-2.5-flash", "gemini-2.5-flash-001", 4.0, 3)),
}
PROVIDER_WEIGHTS = {"openai": 5, "anthropic": 3, "azure-openai": 2, "google": 2}
#: provider -> finish_reason for (done, hit max_tokens, filtered), in each provider's spelling.
FINISH = {"openai": ("stop", "length", "content_filter"),
          "azure-openai": ("stop", "length", "content_filter"),
          "anthropic": ("end_turn", "max_tokens", "refusal"),
          "google": ("STOP", "MAX_TOKENS", "SAFETY")}
SERVICE_WEIGHTS = {"support-bot": 30, "code-assistant": 25, "sales-email": 12,
                   "hr-helpdesk": 10, "search-summarizer": 15, "finance-ops": 8}
ACCESS_ACTIONS = {"sso_login": 60, "login_failed": 14, "role_granted": 8, "role_revoked": 5,
                  "user_provisioned": 8, "user_deprovisioned": 5}
ROLES = ("viewer", "auditor", "developer", "admin", "billing-admin")

SLOTS: dict[str, tuple[str, ...]] = {
    "product": ("the billing portal", "the mobile app", "the analytics dashboard",
                "the API gateway", "the customer portal", "the invoicing module",
                "the self-service checkout", "the reporting workspace"),
    "feature": ("CSV export", "single sign-on", "two-factor login", "bulk invoice upload",
                "usage-based billing", "webhook retries", "saved search filters",
                "role-based permissions", "scheduled reports"),
    "plan": ("Starter", "Business", "Enterprise", "Team", "Growth"),
    "team": ("finance", "platform", "customer success", "data engineering", "procurement",
             "legal", "marketing operations", "security"),
    "table": ("orders", "invoices", "customers", "subscriptions", "support_tickets", "payments"),
    "column": ("created_at", "status", "amount_cents", "region", "plan_tier", "closed_at"),
    "lang": ("Python", "TypeScript", "Go", "Java", "Kotlin"),
    "framework": ("FastAPI", "Django", "Spring Boot", "Express", "React"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "quarter": ("Q1", "Q2", "Q3", "Q4"),
    "benefit": ("the dental plan", "the 401(k) match", "parental leave", "the commuter benefit",
                "the wellness stipend", "tuition reimbursement", "the vision plan"),
    "policy": ("the remote work policy", "the travel and expense policy",
               "the PTO carry-over rule", "the home office equipment policy",
               "the on-call compensation policy"),
    "meeting": ("the weekly pipeline review", "the quarterly planning session",
                "the incident retrospective", "the vendor onboarding call",
                "the product roadmap sync", "the budget review"),
    "industry": ("logistics", "healthcare", "retail", "manufacturing", "fintech",
                 "higher education", "insurance"),
    "tone": ("friendly but concise", "formal", "warm", "direct", "upbeat"),
    "count": ("14", "37", "120", "8", "250", "61"),
    "pct": ("12%", "8%", "25%", "40%", "3%"),
    "amount": ("$1,200", "$349", "$18,500", "$72", "$4,980"),
    "days": ("3", "5", "10", "14", "30"),
    "ticket": ("TCK-40817", "TCK-51274", "TCK-38822", "TCK-60931", "TCK-47150", "TCK-55309"),
    "vendor": ("our payments provider", "the cloud provider", "the logistics partner",
               "the new CRM vendor", "the payroll provider"),
}

SYSTEM: dict[str, tuple[str, ...]] = {
    "support-bot": (
        "You are the support assistant for {tenant}. Be accurate, polite and brief. Never promise "
        "refunds without checking the policy, and escalate billing disputes to a human agent.",
        "You help {tenant}'s support agents answer customer tickets. Answer in plain language and "
        "list the next steps.",
    ),
    "code-assistant": (
        "You are a senior {lang} engineer doing code review. Point out bugs first, then style.",
        "You are a helpful coding assistant. Prefer small, tested changes and explain trade-offs.",
    ),
    "sales-email": (
        "You write B2B sales emails for {tenant}. Keep them under 150 words, {tone}, with one "
        "clear call to action.",
    ),
    "hr-helpdesk": (
        "You are the HR helpdesk assistant for {tenant}. Quote the relevant policy, do not give "
        "legal advice, and suggest contacting HR for individual cases.",
    ),
    "search-summarizer": (
        "Summarise internal documents for busy readers: decisions, owners, deadlines, risks.",
        "You turn meeting notes into crisp summaries with action items.",
    ),
    "finance-ops": (
        "You assist the {tenant} finance operations team with invoices, payments and "
        "reconciliation. Be precise with amounts.",
    ),
}

OPENERS: dict[str, tuple[str, ...]] = {
    "support-bot": (
        "A customer on the {plan} plan opened ticket {ticket} about {product}.",
        "Can you draft a reply to this support ticket ({ticket})? The customer is upset.",
        "Please help me answer a customer who cannot use {feature} in {product}.",
        "Summarise this ticket thread and suggest a resolution for the agent.",
    ),
    "code-assistant": (
        "Can you review this {lang} function? It is part of the {team} service.",
        "I need help writing a SQL query against the {table} table.",
        "Our {framework} endpoint is slow under load and I can't see why.",
        "Please review this pull request description and the diff summary below.",
        "Help me debug a flaky test in our {lang} code base.",
    ),
    "sales-email": (
        "Draft a follow-up email to a prospect in {industry} who attended our demo on {weekday}.",
        "Write a short cold email introducing {product} to a head of {team}.",
        "Rewrite this email so it sounds {tone} and gets a reply.",
        "I need a renewal email for a customer on the {plan} plan; their contract ends in "
        "{quarter}.",
    ),
    "hr-helpdesk": (
        "I have a question about {benefit}.",
        "Can you explain {policy} in simple terms?",
        "An employee asked me how {benefit} works when they change teams.",
        "I'm onboarding a new hire on the {team} team next {weekday} and need a checklist.",
    ),
    "search-summarizer": (
        "Summarise the notes from {meeting} below.",
        "Give me the key decisions and action items from these notes on {meeting}.",
        "Condense this internal document about {product} into five bullet points.",
        "Here are raw notes from {meeting}; produce a summary for people who missed it.",
    ),
    "finance-ops": (
        "Help me reconcile a payment mismatch with {vendor}.",
        "Draft a note to {vendor} about an invoice we were charged twice for.",
        "Explain why our {quarter} spend on {product} is {pct} above budget.",
        "We need to update supplier payment details before the next payment run.",
    ),
}

BODY: dict[str, tuple[str, ...]] = {
    "support-bot": (
        "They say {feature} stopped working after the last release and their team of {count} "
        "people is blocked.",
        "The customer already tried clearing the cache, logging out and back in, and using a "
        "different browser.",
        "Our status page showed no incident at the time, but two other tickets this week mention "
        "the same error message.",
        "They were charged {amount} on their last invoice and think the {plan} plan should have "
        "included {feature}.",
        "The account has been with us for several years and renews in {quarter}, so we want to "
        "keep them happy.",
        "The customer wrote: \"This is the third time I'm contacting you about this. I need a "
        "real answer, not a link to the help center.\"",
        "Engineering says a fix is scheduled for the next release in about {days} days.",
        "Please keep the tone empathetic, avoid blaming the customer, and do not mention "
        "internal ticket numbers.",
        "If a credit is appropriate, the policy allows up to {pct} of one month's fee.",
        "Their admin says the problem started on {weekday} morning, right after they invited "
        "{count} new users and changed the default role for the workspace.",
        "The error banner reads \"Something went wrong, please try again later\" and the "
        "browser console shows a failed request to the export endpoint.",
        "We offered a call last week but they said they prefer to keep everything in writing "
        "so their manager can follow along.",
        "Please include a short explanation of what happened that a non-technical person would "
        "understand, and the steps we are taking so it does not happen again.",
    ),
    "code-assistant": (
        "```\ndef load_orders(session, since):\n    rows = session.query(Order).all()\n    return "
        "[r for r in rows if r.created_at > since]\n```",
        "```sql\nSELECT customer_id, SUM(amount_cents) AS total\nFROM {table}\nWHERE {column} "
        ">= now() - INTERVAL '30 days'\nGROUP BY customer_id\nORDER BY total DESC;\n```",
        "The query takes around {count} seconds on the production replica and the table has "
        "grown a lot this {quarter}.",
        "I suspect an N+1 problem: each request triggers one extra query per item in the list.",
        "The test passes locally but fails in CI roughly one run in ten, usually with a timeout.",
        "We use {framework} with a connection pool of {count} connections and a {days}-second "
        "timeout.",
        "Please suggest an index if one would help, and explain how to check the query plan.",
        "Style-wise, we follow the standard formatter and type hints are required.",
        "Also flag anything that could break backwards compatibility for the {team} team.",
        "```\nclass RateLimiter:\n    def __init__(self, limit):\n        self.limit = limit\n"
        "        self.calls = []\n\n    def allow(self, now):\n        self.calls = [t for t in "
        "self.calls if now - t < 60]\n        return len(self.calls) < self.limit\n```",
        "The function is called on every request, so its cost matters more than its "
        "readability; we measured about {count} calls per second at peak.",
        "I would also like a unit test that covers the empty list and the boundary at exactly "
        "the limit.",
        "```\nfunction retry(fn, attempts) {\n  for (let i = 0; i < attempts; i++) {\n    try { "
        "return fn(); } catch (e) { /* ignore */ }\n  }\n}\n```",
    ),
    "sales-email": (
        "They are evaluating us against two competitors and care most about {feature}.",
        "Mention that teams like theirs typically save {pct} of the time spent on manual work.",
        "Their budget cycle closes at the end of {quarter}, so timing matters.",
        "Keep it {tone}; no more than three short paragraphs.",
        "Offer a {days}-day trial of the {plan} plan and a short call with a solutions engineer.",
        "The previous email got no reply, so open with something useful rather than a nudge.",
        "Do not use the words \"synergy\" or \"circle back\".",
        "Include a one-line summary of {product} for a non-technical reader.",
        "Their current process is mostly spreadsheets and email, and the {team} lead said on "
        "the call that month-end takes them about {days} days.",
        "We have a case study from another {industry} company; refer to it without naming them.",
        "The subject line should be specific, under eight words, and not look like marketing.",
        "End with a question that is easy to answer with a yes or a no.",
    ),
    "hr-helpdesk": (
        "They joined {count} months ago and are not sure whether the waiting period applies.",
        "I read the handbook section twice and it is still unclear to me how this works for "
        "part-time staff.",
        "The employee is moving from the {team} team to a new role next {quarter}.",
        "Please list which forms they need and who approves them.",
        "Is there a limit of {days} days, or is it prorated by start date?",
        "They also asked whether {policy} changed this year.",
        "Keep the answer short enough to paste into a chat message.",
        "The manager would like to know what the usual approval time is.",
        "They are also asking whether unused days can be paid out at the end of the year or "
        "only carried over, and whether that differs for people who joined mid-year.",
        "I don't want to give them the wrong answer, so please point out anything that depends "
        "on their contract type or location.",
        "If there is a form in the HR portal for this, tell me what it is called so I can link "
        "to it.",
    ),
    "search-summarizer": (
        "Notes: revenue for {quarter} came in {pct} above plan; churn flat; hiring freeze on "
        "non-engineering roles continues.",
        "The {team} team will own the migration of {product}; target date is end of {quarter}.",
        "Risks raised: dependency on {vendor}, unclear ownership of {feature}, and a backlog of "
        "{count} open bugs.",
        "Decision: pause the pricing experiment until legal reviews the new terms.",
        "Action item: the {team} lead to send a proposal by {weekday}.",
        "Someone asked whether {feature} should be part of the {plan} plan; no decision yet.",
        "Discussion went long on the budget: {amount} was approved for tooling, the rest deferred.",
        "Next meeting in two weeks; please bring updated numbers.",
        "Open question: do we keep the legacy export for customers on the {plan} plan, or "
        "migrate everyone at once? Support expects about {count} tickets either way.",
        "Customer feedback from the last survey: onboarding is slow, reporting is good, and "
        "people keep asking for {feature}.",
        "Security asked for a review of the vendor contract before anything is signed.",
    ),
    "finance-ops": (
        "The invoice total was {amount} but the bank statement shows a different amount.",
        "Payment terms are net {days}, and the invoice is already past due.",
        "The purchase order was approved by the {team} team in {quarter}.",
        "We need the reconciliation before the month-end close on {weekday}.",
        "Please list what to check first: duplicates, currency conversion, or partial payments.",
        "Our policy requires two approvals for any change of supplier bank details.",
        "Keep the note factual; we do not want to accuse the vendor of anything.",
        "The same vendor sent a corrected invoice last {quarter}, so this may be a repeat of "
        "that problem rather than a new one.",
        "Accounts payable already flagged {count} invoices from them this year for manual review.",
        "Please suggest wording for the internal approval request as well, addressed to the "
        "{team} budget owner.",
    ),
}

CLOSERS: tuple[str, ...] = (
    "Thanks!",
    "Please keep it short.",
    "Let me know if you need more context.",
    "Bullet points are fine.",
    "Thanks in advance, this is urgent.",
    "What would you recommend?",
)

RESPONSE_OPENERS: dict[str, tuple[str, ...]] = {
    "support-bot": ("Here is a draft reply you can send:", "Suggested resolution:",
                    "Summary of the ticket and next steps:"),
    "code-assistant": ("Here is my review.", "A few observations:",
                       "The main problem is in the loop."),
    "sales-email": ("Here is a draft:", "Subject: A quicker way to handle {feature}",
                    "Here's a {tone} version:"),
    "hr-helpdesk": ("Good question.", "Here is how {benefit} works:",
                    "In short, according to {policy}:"),
    "search-summarizer": ("Summary:", "Key decisions and action items:", "TL;DR:"),
    "finance-ops": ("Here is a suggested approach:", "Draft note to the vendor:",
                    "Checklist for the reconciliation:"),
}

RESPONSE_BODY: dict[str, tuple[str, ...]] = {
    "support-bot": (
        "Thank you for your patience, and I'm sorry {feature} has been getting in your way.",
        "Our engineers have identified the cause and a fix is scheduled within {days} days.",
        "In the meantime, you can use the workaround in the settings page under Integrations.",
        "I've added a note to your account so the next agent has the full history.",
        "If the issue affects your invoice, we will apply a credit on the next billing cycle.",
        "Please reply to this message if anything is still not working after the update.",
        "Here is what happened: a change in the last release altered how {feature} handles "
        "accounts with many users, and some requests timed out before they completed.",
        "We have rolled back the part of the change that caused this, and we are adding "
        "monitoring so we notice earlier if it ever happens again.",
        "To confirm the fix on your side, sign out, sign back in, and try the same steps again. "
        "The first attempt may take a few seconds longer while your data is refreshed.",
        "Given the disruption, I have asked the billing team to review your last invoice; they "
        "will reply separately within {days} business days.",
        "Suggested internal note: root cause confirmed by engineering, customer informed, "
        "credit under review, follow up after the release.",
    ),
    "code-assistant": (
        "The query loads every row and filters in Python; push the filter into SQL instead.",
        "Add an index on ({column}) so the range scan does not read the whole table.",
        "The bare except hides real errors; catch the specific exception and log it.",
        "```sql\nCREATE INDEX CONCURRENTLY idx_{table}_{column} ON {table} ({column});\n```",
        "The retry helper retries on every error, including ones that will never succeed, such "
        "as validation failures. Retry only on timeouts and connection errors, add a small "
        "backoff with jitter, and re-raise the last exception instead of returning None.",
        "```\ndef allow(self, now):\n    cutoff = now - 60\n    while self.calls and "
        "self.calls[0] < cutoff:\n        self.calls.popleft()\n    return len(self.calls) < "
        "self.limit\n```",
        "Using a deque makes the cleanup proportional to the expired entries rather than to the "
        "whole list, which matters at your request rate.",
        "For the tests, cover the empty case, exactly at the limit, and one call after the "
        "window expires; freeze the clock instead of sleeping.",
        "```\nrows = session.query(Order).filter(Order.created_at > since).all()\n```",
        "Run EXPLAIN ANALYZE before and after; you should see an index scan instead of a "
        "sequential scan.",
        "For the flaky test, the likely cause is shared state between tests; use a fresh "
        "fixture per test.",
        "None of these changes break the public interface.",
    ),
    "sales-email": (
        "Hi there, thanks again for joining the demo on {weekday}.",
        "Teams in {industry} usually tell us {feature} is where they lose the most time.",
        "With {product}, customers cut that work by about {pct} in the first quarter.",
        "Would a 20-minute call next week be useful? I can bring a solutions engineer.",
        "If timing is tight before {quarter}, a {days}-day trial is an easy way to start.",
        "Best regards, the {tenant} team",
        "I noticed your team still reconciles reports by hand at month-end. That is exactly "
        "the work {product} automates, and it usually pays for itself within a quarter.",
        "Happy to share how a similar {industry} team rolled it out in under two weeks, without "
        "any change to their existing tools.",
        "No pressure either way; if now is not the right time, just let me know and I will "
        "check back after {quarter}.",
        "P.S. The {plan} plan includes {feature} at no extra cost, which came up on the call.",
    ),
    "hr-helpdesk": (
        "Eligibility starts after the waiting period, which is prorated by start date.",
        "The employee submits the request in the HR portal and the manager approves it.",
        "Changing teams does not reset eligibility or accrued balances.",
        "Part-time staff receive the benefit proportionally to their scheduled hours.",
        "For individual situations, please contact the HR team directly.",
        "Unused days can be carried over up to the limit in the policy; anything above it "
        "expires at the end of the year and is not paid out unless local law requires it.",
        "The request form in the HR portal is called Leave and Benefits Change. Attach the "
        "manager approval and submit it at least {days} days before the change takes effect.",
        "Approval usually takes two to three business days; HR confirms by email once it is "
        "processed and the change appears on the next payslip.",
        "Note that the details can differ by contract type and country, so treat this as a "
        "general answer rather than a decision on an individual case.",
    ),
    "search-summarizer": (
        "- Revenue for {quarter} beat plan by {pct}; churn unchanged.",
        "- The {team} team owns the migration of {product}, due end of {quarter}.",
        "- Pricing experiment paused pending legal review.",
        "- Risks: vendor dependency, unclear ownership of {feature}, {count} open bugs.",
        "- Action: the {team} lead sends a proposal by {weekday}.",
        "- {amount} approved for tooling; remaining requests deferred.",
        "- Open question: keep the legacy export for the {plan} plan or migrate everyone at "
        "once; support expects about {count} tickets either way.",
        "- Customer feedback: onboarding slow, reporting good, frequent requests for {feature}.",
        "- Security to review the vendor contract before signature.",
        "- Next meeting in two weeks with updated numbers.",
    ),
    "finance-ops": (
        "First, check whether the payment was split or partially applied to another invoice.",
        "Second, compare the currency conversion date with the invoice date.",
        "If the amounts still differ, ask the vendor for a statement of account.",
        "Any change of bank details needs the second approval before the payment run.",
        "I would hold the payment until the discrepancy of {amount} is explained.",
        "Draft: We have received your invoice and noticed that the amount differs from the "
        "purchase order approved in {quarter}. Could you send a statement of account and "
        "confirm which payments you have applied? We will settle the undisputed part within "
        "the agreed terms of net {days}.",
        "For the approval request: summarise the discrepancy, the amount held back, the reason, "
        "and the date by which you expect the vendor's answer.",
        "Finally, note the case in the vendor file so the next payment run flags it.",
    ),
}

TIMEOUT_TEXT = (
    "The request timed out after 30 seconds while waiting for the provider to respond. The "
    "gateway closed the connection and no completion was returned. Retry with a smaller "
    "max_tokens value or try again later."
)

ERROR_TEXTS: tuple[str, ...] = (
    "Upstream error from the provider: 503 Service Unavailable. The model is currently "
    "overloaded with other requests. You can retry your request, or contact support if the "
    "error persists. No tokens were billed for this call.",
    "Upstream error from the provider: 429 Too Many Requests. Rate limit reached for requests "
    "per minute on this deployment. Please wait and retry with exponential backoff, or request "
    "a quota increase for this project.",
)

FILTERED_TEXTS: tuple[str, ...] = (
    "I can't help with that request. It appears to ask for content that is not allowed under "
    "the usage policy configured for this deployment. If you think this is a mistake, please "
    "rephrase the request or contact your administrator.",
    "The response was blocked by the content filter configured for this application. The "
    "prompt or the generated text matched a restricted category. Please review the request and "
    "try again, or ask an administrator to review the filter settings.",
)

PII_PROMPT: dict[str, tuple[str, ...]] = {
    "US_SSN": (
        "For the background check form, my SSN is {v}.",
        "The employee's social security number is {v}; is it in the right format for the W-4?",
        "Her SSN: {v}. Please don't include it in the summary.",
        "Customer verified their identity on the call with SSN {v}.",
    ),
    "CREDIT_CARD": (
        "The customer says the card number {v} was charged twice for the same order.",
        "Please update the billing credit card to {v}, expiring next year.",
        "I paid with my credit card {v} but the receipt never arrived.",
        "The refund should go back to card number {v}.",
    ),
    "EMAIL_ADDRESS": (
        "Email me at {v} once it's sorted.",
        "Please send the draft to {v} and copy the account team.",
        "The contact email on file is {v}.",
        "Set the reply-to address to {v}.",
    ),
    "PHONE_NUMBER": (
        "Call me at {v} if anything is unclear.",
        "The customer's phone number is {v}; they prefer calls after lunch.",
        "You can reach the hiring manager by phone at {v}.",
        "Add a line asking them to call me at {v}.",
    ),
    "IBAN_CODE": (
        "Please wire the refund to our IBAN {v}.",
        "The supplier changed their bank details; the new IBAN is {v}.",
        "Salary should go to IBAN {v} from next month.",
    ),
    "IP_ADDRESS": (
        "The failed logins all came from IP {v}.",
        "Requests from IP {v} are hitting the rate limit every few minutes.",
        "Please allow-list the office IP address {v} for the admin console.",
    ),
}

PII_RESPONSE: dict[str, tuple[str, ...]] = {
    "US_SSN": ("I've entered the SSN {v} on the form as requested.",),
    "CREDIT_CARD": ("The refund has been issued to the card number {v}.",),
    "EMAIL_ADDRESS": ("I'll send the confirmation to {v}.", "Please email {v} for approval."),
    "PHONE_NUMBER": ("Our team will call you back at {v}.", "Call the desk at {v} for help."),
    "IBAN_CODE": ("The transfer to IBAN {v} is scheduled for the next payment run.",),
    "IP_ADDRESS": ("The blocked requests came from IP {v}, so it was added to the deny list.",),
}

#: How likely each service is to carry each kind of PII (weights, not probabilities).
PII_AFFINITY: dict[str, dict[str, int]] = {
    "support-bot": {"CREDIT_CARD": 4, "EMAIL_ADDRESS": 4, "PHONE_NUMBER": 4, "US_SSN": 1,
                    "IBAN_CODE": 1, "IP_ADDRESS": 2},
    "code-assistant": {"IP_ADDRESS": 5, "EMAIL_ADDRESS": 3, "CREDIT_CARD": 1, "US_SSN": 1,
                       "PHONE_NUMBER": 1, "IBAN_CODE": 1},
    "sales-email": {"EMAIL_ADDRESS": 6, "PHONE_NUMBER": 5, "CREDIT_CARD": 1, "US_SSN": 1,
                    "IBAN_CODE": 1, "IP_ADDRESS": 1},
    "hr-helpdesk": {"US_SSN": 6, "EMAIL_ADDRESS": 3, "PHONE_NUMBER": 3, "IBAN_CODE": 2,
                    "CREDIT_CARD": 1, "IP_ADDRESS": 1},
    "search-summarizer": {"EMAIL_ADDRESS": 4, "PHONE_NUMBER": 3, "US_SSN": 2, "CREDIT_CARD": 2,
                          "IBAN_CODE": 1, "IP_ADDRESS": 2},
    "finance-ops": {"IBAN_CODE": 6, "CREDIT_CARD": 5, "EMAIL_ADDRESS": 2, "US_SSN": 1,
                    "PHONE_NUMBER": 1, "IP_ADDRESS": 1},
}

FIRST_NAMES: tuple[str, ...] = (
    "olivia", "liam", "sofia", "noah", "priya", "mateo", "chen", "fatima", "lucas", "grace",
    "omar", "hannah", "diego", "yuki", "elena", "samuel", "aisha", "jonas", "carmen", "viktor",
)
LAST_NAMES: tuple[str, ...] = (
    "martinez", "nguyen", "okafor", "schmidt", "patel", "johansson", "kowalski", "rossi",
    "tanaka", "dubois", "murphy", "haddad", "silva", "fischer", "kim", "oconnor", "novak",
    "reyes", "lindqvist", "mensah",
)
EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com", "example.org", "example.net", "mail-example.com", "corp-example.com",
)
AREA_CODES: tuple[str, ...] = (
    "212", "206", "303", "305", "312", "404", "415", "503", "512", "602", "617", "646", "702",
    "713", "718", "720", "773", "801", "818", "858", "917", "919", "972", "978", "510", "408",
    "650", "213", "310", "619", "480", "615", "704", "757", "813", "614", "216", "412", "504",
    "314",
)
