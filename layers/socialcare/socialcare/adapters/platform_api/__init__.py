"""The platforms' APIs for answering: Graph API (Facebook Page, Messenger, Instagram,
WhatsApp Cloud API), X API v2 and the Telegram Bot API, over plain HTTPS."""
