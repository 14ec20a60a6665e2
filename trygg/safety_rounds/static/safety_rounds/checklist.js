// The safety-round checklist on a phone: every answer is kept on the device (localStorage;
// photos in IndexedDB) and sent when there is a connection. Each answer and photo carries an id
// made here, so sending it again after a dropped connection stores nothing twice. Without this
// script the page is an ordinary form.
(() => {
  "use strict";
  const form = document.getElementById("checklist");
  if (!form) return;
  const status = document.getElementById("cl-status");
  const refused = document.getElementById("cl-refused");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const queueKey = `trygg-safety-round-${form.dataset.round}`;
  const refusedKey = `${queueKey}-refused`;
  let sending = false;

  const newId = () =>
    crypto.randomUUID ? crypto.randomUUID() :
      "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
        (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  const load = (key) => { try { return JSON.parse(localStorage.getItem(key)) || []; } catch { return []; } };
  const save = (key, list) => localStorage.setItem(key, JSON.stringify(list));

  // --- Reading and showing answers ---------------------------------------------------------
  function answerOf(fieldset) {
    const key = fieldset.dataset.key;
    const value = fieldset.querySelector(`input[name="v-${key}"]:checked`);
    const number = fieldset.querySelector(`[name="n-${key}"]`);
    const text = fieldset.querySelector(`[name="t-${key}"]`);
    return {
      id: newId(),
      question: key,
      value: value ? value.value : "",
      number: number ? number.value.trim() : "",
      text: text ? text.value : "",
      comment: fieldset.querySelector(`[name="c-${key}"]`).value,
      answered_at: new Date().toISOString(),
    };
  }

  function apply(answer) {
    const fieldset = document.getElementById(`q-${answer.question}`);
    if (!fieldset) return;
    const radio = fieldset.querySelector(`input[name="v-${answer.question}"][value="${answer.value}"]`);
    if (radio) radio.checked = true;
    for (const [prefix, field] of [["n", "number"], ["t", "text"], ["c", "comment"]]) {
      const input = fieldset.querySelector(`[name="${prefix}-${answer.question}"]`);
      if (input) input.value = answer[field] || "";
    }
  }

  function answeredCount() {
    let count = 0;
    for (const fieldset of form.querySelectorAll("fieldset.cl-q")) {
      const a = answerOf(fieldset);
      if (a.value || a.number || a.text.trim()) count += 1;
    }
    return count;
  }

  function show(text) {
    const total = form.querySelectorAll("fieldset.cl-q").length;
    status.textContent = `${text} ${answeredCount()}/${total} ${status.dataset.textProgress}.`;
  }

  function showRefused() {
    const list = load(refusedKey);
    refused.hidden = list.length === 0;
    const ul = refused.querySelector("ul");
    ul.replaceChildren(...list.map((item) => {
      const li = document.createElement("li");
      const legend = document.querySelector(`#q-${item.question} legend`);
      li.textContent = `${legend ? legend.textContent : item.question}: ` +
        [item.value, item.number, item.text, item.comment].filter(Boolean).join(" – ") +
        (item.message ? ` (${item.message})` : "");
      return li;
    }));
  }

  // --- The queue -----------------------------------------------------------------------------
  function enqueue(answer) {
    // Only the newest unsent answer to a question needs sending; an older one in flight is
    // harmless (the newest counts on the server too).
    const queue = load(queueKey).filter((a) => a.question !== answer.question || a.sending);
    queue.push(answer);
    save(queueKey, queue);
  }

  async function flushAnswers() {
    const queue = load(queueKey);
    if (!queue.length) return 0;
    const batch = queue.slice(0, 200);
    save(queueKey, queue.map((a) => (batch.includes(a) ? { ...a, sending: true } : a)));
    const response = await fetch(form.dataset.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ answers: batch.map(({ sending, ...a }) => a) }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    const done = new Set();
    const late = load(refusedKey);
    for (const result of body.results) {
      done.add(result.id);
      if (result.status === "late" || result.status === "invalid") {
        const answer = batch.find((a) => a.id === result.id);
        if (answer) late.push({ ...answer, message: result.message });
      }
    }
    save(refusedKey, late);
    save(queueKey, load(queueKey).filter((a) => !done.has(a.id)).map((a) => ({ ...a, sending: false })));
    showRefused();
    return load(queueKey).length;
  }

  // --- Photos (IndexedDB: they are too large for localStorage) --------------------------------
  function db() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("trygg-safety-rounds", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("photos", { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function photoStore(mode, work) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const tx = conn.transaction("photos", mode);
      const result = work(tx.objectStore("photos"));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  async function shrink(file) {
    // Send at most 1600 pixels on the long edge: a slow connection carries it sooner.
    if (!file.type.startsWith("image/") || !window.createImageBitmap) return file;
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
      return blob || file;
    } catch {
      return file; // not an image the browser can read: the server says why
    }
  }

  function note(fieldset, text) {
    const holder = fieldset.querySelector(".cl-photos");
    const span = document.createElement("span");
    span.className = "cl-photo-note";
    span.textContent = text;
    holder.append(span);
    return span;
  }

  async function flushPhotos() {
    const photos = await photoStore("readonly", (store) => store.getAll());
    for (const photo of photos || []) {
      if (photo.round !== form.dataset.round) continue;
      const data = new FormData();
      data.append("id", photo.id);
      data.append("question", photo.question);
      data.append("photo", photo.blob, "photo.jpg");
      const response = await fetch(form.dataset.photos, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        body: data,
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok && response.status !== 422) throw new Error(`HTTP ${response.status}`);
      await photoStore("readwrite", (store) => store.delete(photo.id));
      const fieldset = document.getElementById(`q-${photo.question}`);
      const pending = fieldset && fieldset.querySelector(`[data-pending="${photo.id}"]`);
      if (pending) pending.remove();
      if (fieldset && body.url) {
        const link = document.createElement("a");
        link.href = body.url;
        link.textContent = fieldset.dataset.photoLabel || "✓";
        fieldset.querySelector(".cl-photos").append(link);
      }
      if (fieldset && body.message) note(fieldset, body.message);
    }
  }

  // --- Sending ---------------------------------------------------------------------------------
  async function flush() {
    if (sending) return;
    const waiting = load(queueKey).length;
    if (!navigator.onLine) {
      show(`${status.dataset.textOffline} ${status.dataset.textWaiting} ${waiting}.`);
      return;
    }
    sending = true;
    show(status.dataset.textSending);
    try {
      const left = await flushAnswers();
      await flushPhotos();
      show(left ? `${status.dataset.textWaiting} ${left}.` : status.dataset.textSaved);
    } catch {
      show(`${status.dataset.textOffline} ${status.dataset.textWaiting} ${load(queueKey).length}.`);
    } finally {
      sending = false;
    }
  }

  let timer = null;
  function changed(event) {
    const fieldset = event.target.closest("fieldset.cl-q");
    if (!fieldset || event.target.matches("[data-photo]")) return;
    enqueue(answerOf(fieldset));
    clearTimeout(timer);
    timer = setTimeout(flush, event.type === "input" ? 800 : 0);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", (event) => { if (event.target.matches("textarea, input[type=text]")) changed(event); });
  form.addEventListener("submit", (event) => { event.preventDefault(); flush(); });
  for (const input of document.querySelectorAll("input[data-photo]")) {
    const fieldset = input.closest("fieldset.cl-q");
    fieldset.dataset.photoLabel = fieldset.querySelector(".cl-photo-label").textContent;
    input.addEventListener("change", async () => {
      for (const file of input.files) {
        const id = newId();
        const blob = await shrink(file);
        await photoStore("readwrite", (store) =>
          store.put({ id, round: form.dataset.round, question: fieldset.dataset.key, blob }));
        note(fieldset, `${file.name} …`).dataset.pending = id;
      }
      input.value = "";
      flush();
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => flush());
  setInterval(() => { if (load(queueKey).length) flush(); }, 15000);

  // Answers this device has not sent yet win over what the page was rendered with.
  for (const answer of load(queueKey)) apply(answer);
  showRefused();
  flush();
})();
