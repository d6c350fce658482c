-- +goose Up
-- message_contents: what a message says, written once when it is queued and
-- never updated. Kept apart from the messages row, which changes with every
-- status: an email's ~5 KB of text and HTML in that row was rewritten (and,
-- past a page, read through overflow pages) by every status change and by
-- every query of statuses.
CREATE TABLE message_contents (
    message_id TEXT PRIMARY KEY,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    html       TEXT NOT NULL DEFAULT ''
);
INSERT INTO message_contents (message_id, subject, body, html) SELECT id, subject, body, html FROM messages;
ALTER TABLE messages DROP COLUMN body;
ALTER TABLE messages DROP COLUMN subject;
ALTER TABLE messages DROP COLUMN html;

-- +goose Down
ALTER TABLE messages ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN html TEXT NOT NULL DEFAULT '';
UPDATE messages SET body = c.body, subject = c.subject, html = c.html FROM message_contents c WHERE c.message_id = messages.id;
DROP TABLE message_contents;
