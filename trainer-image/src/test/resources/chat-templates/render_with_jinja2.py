#!/usr/bin/env python3
"""Prints how Jinja2 renders the chat templates in this folder for the conversations of HuggingFaceChatTemplatesTest.

The environment is set up as transformers' apply_chat_template sets it up (trim_blocks, lstrip_blocks, loop controls,
raise_exception, a json.dumps-based tojson), so the output is what transformers renders with tokenize=False.
Needs only Jinja2 (pip install jinja2); used to check the expected strings in the Java tests by hand.
"""
import json
import pathlib

import jinja2.ext
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

USER_ONLY = [{"role": "user", "content": "What is the capital of France?"}]
SYSTEM_USER_ASSISTANT = [
    {"role": "system", "content": "You are a terse assistant.\n"},
    {"role": "user", "content": "Name a prime number."},
    {"role": "assistant", "content": "7"},
]
MULTI_TURN = [
    {"role": "user", "content": "Hi!"},
    {"role": "assistant", "content": "Hello! How can I help?"},
    {"role": "user", "content": "Tell me a joke."},
    {"role": "assistant", "content": " Why did the chicken cross the road?\n"},
    {"role": "user", "content": "Why?"},
]
MODELS = {
    "smollm2-135m-instruct.jinja": dict(bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|im_end|>",
                                        unk_token="<|endoftext|>"),
    "qwen2.5-0.5b-instruct.jinja": dict(eos_token="<|im_end|>", pad_token="<|endoftext|>"),
    "llama-3.1-8b-instruct.jinja": dict(bos_token="<|begin_of_text|>", eos_token="<|eot_id|>"),
}

here = pathlib.Path(__file__).parent
for file, special_tokens in MODELS.items():
    template = env.from_string((here / file).read_text(encoding="utf-8"))
    for label, messages, generation_prompt in [("a", USER_ONLY, True), ("b", SYSTEM_USER_ASSISTANT, False),
                                               ("c", MULTI_TURN, True)]:
        rendered = template.render(messages=messages, tools=None, documents=None,
                                   add_generation_prompt=generation_prompt, **special_tokens)
        print(file, label, json.dumps(rendered, ensure_ascii=False))
