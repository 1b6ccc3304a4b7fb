"""Project input channels for Rasa: the verified socket.io channel and its trust model.

Modules: ``identity`` (pure token verification and sender-id derivation), ``socketio``
(the verified channel) and ``rest`` (Rasa's REST channel, always anonymous). Both channels keep
Rasa's names (``socketio``, ``rest``). Shop developers: ``docs/identity.md``.

Trust model
-----------
Rasa 3.6's own ``SocketIOInput`` trusts the browser for everything that matters: with
``jwt_key`` it checks a token when the socket connects and then forgets the claims; the
conversation id is whatever ``session_id`` the client sends (so anyone who learns a session
id can read and write that conversation); and the message metadata is whatever the page
puts there. :class:`assistant.channels.socketio.VerifiedSocketIOInput` replaces those three
points and keeps the rest of Rasa's channel (events, output format, the
``/webhooks/socketio`` health route):

1. **Connect.** ``io(url, {auth: {token}})``. The token is optional: without one the
   shopper is anonymous. A token is checked with
   :func:`assistant.channels.identity.verify_customer_token` (HS256 only, ``sub`` and
   ``exp`` required); a token that fails is refused (``connect_error`` with the message
   ``invalid_token``), never downgraded to anonymous. The verified claims are kept per
   socket and dropped when it disconnects.
2. **Session.** The client sends its own random ``session_id`` (16-128 characters of
   ``[A-Za-z0-9_-]``; anything else is replaced by a fresh random one). The Rasa sender id
   is ``derive_sender_id(secret, sub or None, session_id)``: an HMAC that nobody can
   compute without the secret. The same customer with the same session id gets the same
   conversation back (session persistence); a different customer, an anonymous shopper,
   or someone who copied a session id or a sender id gets a different conversation. The
   socket joins the room named by the derived id; bot messages go to that room only.
   ``session_confirm`` echoes the client's session id (the derived id is never needed by
   the page).
3. **Messages.** The client's ``session_id`` in ``user_uttered`` is ignored; the socket's
   bound sender id is used (a socket that never asked for a session gets a fresh random
   one). The token's ``exp`` is checked again on every message: once it has passed, the
   message is dropped and the socket gets ``auth_error {"reason": "token_expired"}`` (the
   page reconnects with a fresh token). Metadata keeps only ``language``, ``page`` and
   ``widget_version`` from the client (short scalar values); the channel then sets
   ``customer_id`` (verified sockets only; a client-sent ``customer_id`` is always removed)
   and ``identity: {"verified": bool}``. Messages longer than 5,000 characters are cut
   and marked ``truncated: true``.

4. **REST.** Rasa's ``RestInput`` lets the request choose ``input_channel`` and passes its
   ``metadata`` through, so a POST could pose as a verified socket message.
   ``assistant.channels.rest.AnonymousRestInput`` pins ``input_channel`` to ``rest``, keeps
   only the allow-listed metadata plus ``identity: {"verified": false}``, and refuses sender
   ids of the derived form and requests without a sender.

The action server reads the customer id only from that metadata and only for messages
whose input channel is ``socketio`` (``actions/identity.py``). Messaging-app users are
linked to customers through the profile service's channel identities.

The secret (``IDENTITY_JWT_SECRET``) is read from the environment once, when Rasa builds the
channel. Without it the channel accepts no token at all: everybody is an anonymous shopper
(a token sent anyway is ignored, not trusted), conversations are keyed with a random
per-process key (so they do not survive a restart), and a warning is logged once.
"""
