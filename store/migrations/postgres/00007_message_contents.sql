-- +goose Up
-- message_contents: what messages say before their placeholders are
-- filled, kept once however many messages share it (a campaign's 100,000
-- emails share one) and never updated; id is a hash of the text. Each
-- message keeps its content's id and the values of its placeholders
-- (vars, a JSON object), and is rendered from both just before sending.
-- The messages row, copied by every status change, stays small.
CREATE TABLE message_contents (
    id      TEXT PRIMARY KEY,
    subject TEXT NOT NULL DEFAULT '',
    body    TEXT NOT NULL,
    html    TEXT NOT NULL DEFAULT ''
);
ALTER TABLE messages ADD COLUMN content_id TEXT NOT NULL DEFAULT '', ADD COLUMN vars TEXT NOT NULL DEFAULT '{}';
-- Messages written before: their text as sent is a content of its own.
INSERT INTO message_contents (id, subject, body, html) SELECT 'message:' || id, subject, body, html FROM messages;
UPDATE messages SET content_id = 'message:' || id;
ALTER TABLE messages DROP COLUMN body, DROP COLUMN subject, DROP COLUMN html;

-- +goose Down
ALTER TABLE messages ADD COLUMN body TEXT NOT NULL DEFAULT '', ADD COLUMN subject TEXT NOT NULL DEFAULT '', ADD COLUMN html TEXT NOT NULL DEFAULT '';
-- Placeholders stay unfilled: the values live in vars, which goes.
UPDATE messages SET body = c.body, subject = c.subject, html = c.html FROM message_contents c WHERE c.id = messages.content_id;
ALTER TABLE messages DROP COLUMN vars, DROP COLUMN content_id;
DROP TABLE message_contents;
