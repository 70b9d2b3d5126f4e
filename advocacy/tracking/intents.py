"""Each network's share-intent URL: no OAuth, nothing to expire.

LinkedIn and Facebook ignore prefilled text (the page copies it to the clipboard);
X takes text and URL; email gets subject and body.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..models import Network, Post

LINKEDIN = "https://www.linkedin.com/sharing/share-offsite/"
X = "https://twitter.com/intent/tweet"
FACEBOOK = "https://www.facebook.com/sharer/sharer.php"


def suggested_text(post: Post, network: Network) -> str:
    column = {
        Network.LINKEDIN: post.share_text_linkedin,
        Network.X: post.share_text_x,
        Network.FACEBOOK: post.share_text_facebook,
        Network.EMAIL: post.email_body,
    }.get(network)
    return column or post.title


def intent_url(post: Post, network: Network, link: str) -> str:
    text = suggested_text(post, network)
    if network == Network.LINKEDIN:
        return f"{LINKEDIN}?{urlencode({'url': link})}"
    if network == Network.X:
        return f"{X}?{urlencode({'text': text, 'url': link})}"
    if network == Network.FACEBOOK:
        return f"{FACEBOOK}?{urlencode({'u': link})}"
    if network == Network.EMAIL:
        subject = post.email_subject or post.title
        body = f"{text}\n\n{link}"
        return f"mailto:?subject={quote(subject)}&body={quote(body)}"
    return link  # copy: the link itself
