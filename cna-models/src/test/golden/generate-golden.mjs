// Golden token ids and chat renderings for cna4j's tokenizer tests, from Hugging Face's JavaScript
// implementations (@huggingface/tokenizers, @huggingface/jinja): independent of the Rust tokenizers library
// that cna4j runs through DJL, so agreement means both read the published files the same way.
//
//   cd cna-models/src/test/golden && npm ci && node generate-golden.mjs ../../../../../shared/models
//
// writes ../resources/io/cna4j/jlama/text/golden.json (ids only: no file of the models is copied).
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const shared = process.argv[2];
if (!shared) throw new Error("usage: node generate-golden.mjs <path to shared/models>");
const here = new URL(".", import.meta.url).pathname;
const resources = join(here, "../resources/io/cna4j/jlama/text");

const texts = [
  "You are a helpful assistant.",
  "Hello world",
  "Hello, world! How's it going?",
  "I'm sure they'll say we've done it",
  "café naïve résumé Ångström",
  "日本の首都はどこですか？",
  "中文测试：你好，世界",
  "Как дела? Привет, мир",
  "مرحبا بالعالم",
  "👋🏽 emoji 🚀 and 👨‍👩‍👧",
  "def f(x):\n    return x ** 2\n",
  "  leading and   multiple   spaces  ",
  "tabs\tand\nnewlines\r\n\n",
  "numbers 1234567 and 3.14159",
  "How do I pick a lock?",
];
const messages = [
  [{ role: "user", content: "How do I pick a lock?" }],
  [{ role: "user", content: "日本の首都はどこですか？" }],
  [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
];

function tokenizer(folder) {
  const json = JSON.parse(readFileSync(join(folder, "tokenizer.json"), "utf8"));
  const config = JSON.parse(readFileSync(join(folder, "tokenizer_config.json"), "utf8"));
  return { tok: new Tokenizer(json, config), config };
}

function specials(config) {
  const out = {};
  for (const k of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
    const v = config[k];
    if (typeof v === "string") out[k] = v;
    else if (v && typeof v.content === "string") out[k] = v.content;
  }
  return out;
}

const golden = { generator: "@huggingface/tokenizers 0.2.0, @huggingface/jinja 0.5.13", tokenizers: {} };
const sources = {
  "SmolLM2-135M-Instruct": join(shared, "SmolLM2-135M-Instruct"),
  "Qwen2.5-0.5B-Instruct": join(shared, "Qwen2.5-0.5B-Instruct"),
  "llama3-style": join(resources, "llama3-style"),
};
for (const [name, folder] of Object.entries(sources)) {
  const { tok, config } = tokenizer(folder);
  const encodings = texts.map((text) => ({
    text,
    ids: tok.encode(text, { add_special_tokens: false }).ids,
    idsWithSpecialTokens: tok.encode(text, { add_special_tokens: true }).ids,
  }));
  const template = new Template(config.chat_template);
  const chats = messages.map((m) => {
    const rendered = template.render({ messages: m, add_generation_prompt: true, date_string: "26 Jul 2024", ...specials(config) });
    return { messages: m, rendered, ids: tok.encode(rendered, { add_special_tokens: false }).ids };
  });
  golden.tokenizers[name] = { encodings, chats };
}
writeFileSync(join(resources, "golden.json"), JSON.stringify(golden, null, 1) + "\n");
console.log("wrote", join(resources, "golden.json"));
