-- +goose Up
-- message_contents: what a message says, written once when it is queued and
-- never updated. Kept apart from the messages row, which changes with every
-- status: each status change copied an email's ~5 KB of text and HTML into a
-- new row version.
CREATE TABLE message_contents (
    message_id TEXT PRIMARY KEY,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    html       TEXT NOT NULL DEFAULT ''
);
INSERT INTO message_contents (message_id, subject, body, html) SELECT id, subject, body, html FROM messages;
ALTER TABLE messages DROP COLUMN body, DROP COLUMN subject, DROP COLUMN html;

-- +goose Down
ALTER TABLE messages ADD COLUMN body TEXT NOT NULL DEFAULT '', ADD COLUMN subject TEXT NOT NULL DEFAULT '', ADD COLUMN html TEXT NOT NULL DEFAULT '';
UPDATE messages SET body = c.body, subject = c.subject, html = c.html FROM message_contents c WHERE c.message_id = messages.id;
DROP TABLE message_contents;
