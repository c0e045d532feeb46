// Wiring of the script-tag page, as a site would write it: a ticket before each call, and the
// events into the page. Classic script, no build step. `window.facekitEvents` is for tests.
window.facekitEvents = [];
const element = document.querySelector('face-enroll');
element.endpoint = location.origin;
element.ticketProvider = async () => {
  const answer = await fetch('/v1/demo/ticket?scopes=face.*').then((response) => response.json());
  if (!answer.ok) throw new Error(answer.message);
  return answer.data.ticket;
};
const list = document.getElementById('events');
for (const type of ['facekit-status', 'facekit-result', 'facekit-error']) {
  element.addEventListener(type, (event) => {
    window.facekitEvents.push({ type, detail: event.detail, time: Math.round(performance.now()) });
    const item = document.createElement('li');
    item.textContent = `${type} ${JSON.stringify(event.detail)}`;
    list.append(item);
  });
}
