export const metadata = { title: 'Chats · Parley' };

export default function ChatsPage() {
  return (
    <section className="pane__empty">
      <h2>Parley</h2>
      <p>Pick a conversation, or start one with a username.</p>
    </section>
  );
}
