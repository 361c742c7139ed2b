// The notification tests' fixture: one valid chat-message event, and a Fetch request that posts a body to a
// handler the way Yandex does.

/** A valid CHAT_MESSAGE_SENT notification (spread it to make another event: a new messageId is a new key). */
export const CHAT_MESSAGE = {
  notificationType: 'CHAT_MESSAGE_SENT',
  chatId: 987654321,
  messageId: '5123456001',
  businessId: 123456,
  sentAt: '2026-11-25T19:42:17.512Z',
};

/** A POST of `body` (sent as is) with a JSON content type, for a handler's Fetch entry. */
export const postNotification = (body: string) =>
  new Request('http://localhost/notification', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
