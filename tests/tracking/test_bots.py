"""Who is a person: a table of real user agents and the verdict each must get."""

from __future__ import annotations

import pytest

from advocacy.tracking.bots import CRAWLER, EMPTY, NOT_A_BROWSER, UNFURLER, bot_reason

PEOPLE = {
    "Chrome on Windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Edge on Windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
    "Firefox on Linux": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Safari on macOS": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Safari on iPhone": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Chrome on Android": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Samsung Internet": "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Firefox on Android": "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
    "Chrome on iPad": "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
    "LinkedIn app on iOS": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6648",
    "LinkedIn app on Android": "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [LinkedInApp]/4.1.881",
    "Facebook app on iOS": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.33.117;FBBV/553216720;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.0;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
    "Facebook app on Android": "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/439.0.0.29.119;]",
    "Instagram on iOS": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 305.0.0.24.109 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 520391231)",
    "Android WebView": "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36",
    "a phone called Robot": "Mozilla/5.0 (Linux; Android 11; RoboT 2 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "a phone called Spider": "Mozilla/5.0 (Linux; Android 12; Spider X1 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36",
    "a CUBOT phone": "Mozilla/5.0 (Linux; Android 9; CUBOT KING KONG 3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
}

BOTS = {
    "LinkedInBot": (
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        UNFURLER,
    ),
    "Twitterbot": ("Twitterbot/1.0", UNFURLER),
    "facebookexternalhit": (
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        UNFURLER,
    ),
    "Facebot": ("Facebot", UNFURLER),
    "meta-externalagent": (
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        UNFURLER,
    ),
    "Slackbot": ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", UNFURLER),
    "Slack-ImgProxy": ("Slack-ImgProxy (+https://api.slack.com/robots)", UNFURLER),
    "Discordbot": ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", UNFURLER),
    "TelegramBot": ("TelegramBot (like TwitterBot)", UNFURLER),
    "WhatsApp": ("WhatsApp/2.23.20.0 A", UNFURLER),
    "SkypeUriPreview": (
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
        UNFURLER,
    ),
    "Applebot": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        UNFURLER,
    ),
    "Iframely": ("Iframely/1.3.1 (+https://iframely.com/docs/about) Atlassian", UNFURLER),
    "Embedly": ("Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)", UNFURLER),
    "Pinterestbot": (
        "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
        UNFURLER,
    ),
    "redditbot": (
        "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)",
        UNFURLER,
    ),
    "BingPreview": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b",
        UNFURLER,
    ),
    "MicrosoftPreview": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36 Edg/96.0.1054.62 MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview",
        UNFURLER,
    ),
    "Bluesky Cardyb": (
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        UNFURLER,
    ),
    "Mastodon fetcher": ("http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)", UNFURLER),
    "Googlebot": (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        NOT_A_BROWSER,
    ),
    "Googlebot smartphone": (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        NOT_A_BROWSER,
    ),
    "Headless Chrome": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
        CRAWLER,
    ),
    "curl": ("curl/8.4.0", NOT_A_BROWSER),
    "python-requests": ("python-requests/2.32.3", NOT_A_BROWSER),
    "Go HTTP client": ("Go-http-client/2.0", NOT_A_BROWSER),
    "okhttp": ("okhttp/4.12.0", NOT_A_BROWSER),
    "UptimeRobot": (
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        NOT_A_BROWSER,
    ),
    "Pingdom": ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", NOT_A_BROWSER),
    "Feedly": (
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers; like FeedFetcher-Google)",
        NOT_A_BROWSER,
    ),
    "Overcast podcasts": ("Overcast/1.0 Podcast Sync (+http://overcast.fm/)", NOT_A_BROWSER),
    "an e-mail in the agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 research-crawler admin@example.org",
        NOT_A_BROWSER,
    ),
    "empty": ("", EMPTY),
    "blank": ("   ", EMPTY),
}


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_people_are_people(name):
    assert bot_reason(PEOPLE[name]) is None


@pytest.mark.parametrize("name", sorted(BOTS))
def test_bots_and_their_reasons(name):
    agent, reason = BOTS[name]
    assert bot_reason(agent) == reason
