"""`kamboard serve`: the board in a browser through textual-serve, one link (token) per seat.

``links`` (seats, tokens, URLs) and ``qr`` are plain Python; ``web`` holds the aiohttp server
(imported only when the server runs). Nothing here imports Textual: each browser session is a
separate ``kamboard`` process.
"""
