// claimgraph UI: calls GET /api/v1/trace and renders supporting and disputing statements.
"use strict";

const form = document.getElementById("trace-form");
const input = document.getElementById("q");
const statusLine = document.getElementById("status");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Why a statement stands where it does, for the extractors whose reading is not the sentence alone.
const EXTRACTOR_NOTES = {
  "claims.critique.v1": "a critique of the finding its source reported",
  "stance.continuation.v1": "goes on in the stance of the sentences before it",
  "stance.answer.v1": "read through the quoted passage it answers",
  "stance.rebuttal.v2": "read as the paper's authors answering the critic they reply to",
};

function renderStatement(item) {
  const who = item.author || (item.attributed_to ? `quoting ${item.attributed_to}` : "unknown author");
  const where = item.source_url
    ? el("a", { href: item.source_url, rel: "noopener" }, item.source_title || item.source_url)
    : (item.source_title || "");
  const link = item.post_url ? el("a", { href: item.post_url, rel: "noopener", class: "permalink" }, "link") : null;
  const meta = el("p", { class: "meta" },
    el("strong", { class: "author" }, who), " · ", where, link ? " · " : "", link,
    ` · confidence ${item.confidence.toFixed(2)}`, item.via_reply ? " · stance from the reply context" : "",
    EXTRACTOR_NOTES[item.extractor] ? ` · ${EXTRACTOR_NOTES[item.extractor]}` : "");
  const reply = item.reply_to
    ? el("div", { class: "reply" }, `in reply to ${item.reply_to.author || "a comment"}: `, item.reply_to.text)
    : null;
  // The sentences before a statement that make it relevant ("they arise even in linear models").
  const context = item.context
    ? el("p", { class: "context", title: "the sentences before it, which say what it is about" }, `… ${item.context}`)
    : null;
  return el("li", { class: "statement" }, context, el("p", { class: "quote" }, `“${item.text}”`), meta, reply);
}

function fill(listId, countId, items) {
  const list = document.getElementById(listId);
  list.replaceChildren(...items.map(renderStatement));
  if (!items.length) list.append(el("li", { class: "empty" }, "none found"));
  document.getElementById(countId).textContent = `(${items.length})`;
}

async function trace(query) {
  statusLine.textContent = "Tracing…";
  const response = await fetch(`/api/v1/trace?q=${encodeURIComponent(query)}`);
  const body = await response.json();
  if (!response.ok) {
    statusLine.textContent = `Error: ${body.error ? body.error.message : response.status}`;
    return;
  }
  const claim = document.getElementById("claim");
  if (body.claim) {
    document.getElementById("claim-text").textContent = body.claim.text;
    document.getElementById("claim-meta").textContent =
      `similarity ${body.claim.similarity.toFixed(2)} · ${body.claim.n_supports} supporting, ${body.claim.n_disputes} disputing statements on this claim` +
      (body.claim.denies_query ? " · this claim denies your query, so what supports it is listed as disputing" : "");
    claim.hidden = false;
  } else {
    claim.hidden = true;
  }
  fill("supports", "n-supports", body.supports);
  fill("disputes", "n-disputes", body.disputes);
  document.getElementById("columns").hidden = false;
  statusLine.textContent = `${body.supports.length + body.disputes.length} statements for “${query}”`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  if (!query) return;
  history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
  trace(query).catch((error) => { statusLine.textContent = `Error: ${error}`; });
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) { input.value = initial; trace(initial).catch((e) => { statusLine.textContent = `Error: ${e}`; }); }
