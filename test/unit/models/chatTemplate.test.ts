import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeChatTemplate, describeTemplateFindings } from '../../../server/src/models/chatTemplate';

// Benign templates written for these tests in the styles of popular model families: they use
// the constructs real chat templates use (loops over messages, namespace(), raise_exception,
// loop.index0, .strip()/.split(), |tojson, macros, strftime_now, selectattr/map, raw blocks).
const BENIGN: Record<string, string> = {
  chatml: `{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`,
  alternating: `{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}
{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}
{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}`,
  toolsWithDate: `{{- bos_token }}
{%- if not date_string is defined %}{%- if strftime_now is defined %}{%- set date_string = strftime_now("%d %b %Y") %}{%- else %}{%- set date_string = "26 Jul 2024" %}{%- endif %}{%- endif %}
{#- Pull out the system message; mentions of __class__ or os.system in comments are not code. #}
{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}{%- set messages = messages[1:] %}{%- else %}{%- set system_message = "" %}{%- endif %}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none %}{%- for t in tools %}{{- t | tojson(indent=4) }}{{- "\\n\\n" }}{%- endfor %}{%- endif %}
{%- for message in messages %}{%- if 'tool_calls' in message %}{%- set tool_call = message.tool_calls[0].function %}
{{- '{"name": "' + tool_call.name + '", "parameters": ' }}{{- tool_call.arguments | tojson }}{{- "}" }}{%- else %}
{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}{%- endif %}{%- endfor %}`,
  namespaceState: `{%- set ns = namespace(is_first=false, is_tool=false, system_prompt='', multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}{%- set index = (messages|length - 1) - loop.index0 %}
{%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
{%- set ns.multi_step_tool = false %}{%- set ns.last_query_index = index %}{%- endif %}{%- endfor %}
{%- for message in messages %}{%- if message.role == 'assistant' %}{%- set content = message.content.split('</think>')[-1].lstrip('\\n') %}
{{- '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' }}{%- elif message.role == 'tool' %}{{- '<tool_response>\\n' + message.content.strip() + '\\n</tool_response>' }}{%- endif %}{%- endfor %}`,
  mistralTools: `{%- set user_messages = messages | selectattr("role", "equalto", "user") | list %}
{%- set ns = namespace(index=0) %}
{%- for message in messages %}{%- if message.role == "tool_calls" or (message.tool_calls is defined and message.tool_calls is not none) %}
{%- for tool_call in message.tool_calls %}{%- if not tool_call.id is defined or tool_call.id|length != 9 %}{{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}{%- endif %}
{{- '{"name": "' + tool_call.function.name + '", "arguments": ' + tool_call.function.arguments|tojson + ', "id": "' + tool_call.id + '"}' }}
{%- if not loop.last %}{{- ", " }}{%- endif %}{%- endfor %}{%- elif message["role"] == "user" %}{{- "[INST] " + message["content"] + "[/INST]" }}{%- set ns.index = ns.index + 1 %}{%- endif %}{%- endfor %}
{{- (messages | map(attribute='content') | join('\\n')) if false }}`,
  macros: `{%- macro json_to_python_type(json_spec) %}{%- set basic_type_map = {"string": "str", "number": "float", "integer": "int", "boolean": "bool"} %}
{%- if basic_type_map[json_spec.type] is defined %}{{- basic_type_map[json_spec.type] }}{%- elif json_spec.type == "array" %}{{- "list[" + json_to_python_type(json_spec|items) + "]" }}
{%- elif json_spec.type is iterable %}{{- "Union[" }}{%- for t in json_spec.type %}{{- json_to_python_type({"type": t}) }}{%- if not loop.last %}{{- "," }}{%- endif %}{%- endfor %}{{- "]" }}{%- else %}{{- "Any" }}{%- endif %}{%- endmacro %}
{%- for tool in tools %}{%- if tool.function is defined %}{%- set tool = tool.function %}{%- endif %}{{- '{"type": "function", "function": ' }}{{- '"name": "' + tool.name + '", ' }}
{%- for param_name, param_fields in tool.parameters.properties|items %}{{- param_name + ": " + json_to_python_type(param_fields) }}{%- endfor %}{{- '\\ndef __init__(self): pass  # shown to the model as text' }}{%- endfor %}
{%- for m in messages %}{{ loop.cycle('odd', 'even') }}{{ m['content'] | replace('_', ' ') | upper }}{% endfor %}`,
  listsAndSlices: `{%- set roles = ['user', 'assistant'] %}{% for m in messages[1:] %}{% if m.role in ['user', 'system'] %}{{ roles[loop.index0 % 2] }}{% endif %}
{{ m.content.split('_')[0] | replace('_', ' ') }}{{ (m.name ~ ':') if m.name }}{{ messages[loop.index0 - 1]['content'] }}{{ ['a', 'b']|join(', ') }}{% endfor %}`,
  rawAndComments: `{# a comment with ().__class__.__subclasses__() #}{% raw %}{{ lipsum.__globals__.os.popen('id') }}{% endraw %}
Prose outside code may say config.items(), self._TemplateReference__context or os.popen freely.
{{ '{{ x.__class__ }}' }}{% for m in messages %}{{ m.content }}{% endfor %}`,
};

// Payloads: the public CVE-2024-34359 proof of concept, the gadget chains SSTI write-ups use,
// and obfuscations that spell dunders without writing them.
const MALICIOUS: Record<string, [string, RegExp]> = {
  'CVE-2024-34359 PoC': [
    `{% for x in ().__class__.__base__.__subclasses__() %}{% if "warning" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen("touch /tmp/retr0reg")}}{%endif%}{% endfor %}`,
    /__class__/,
  ],
  'lipsum globals': [`The answer is yes or no.\n{{ lipsum.__globals__["os"].popen(cmd).read() }}{% for message in messages %}{{ message["content"] }}{% endfor %}`, /lipsum\.|__globals__/],
  'cycler gadget': [`{{ cycler.__init__.__globals__.os.popen('id').read() }}`, /cycler\./],
  'joiner gadget': [`{{ joiner.__init__.__globals__.os.popen('id').read() }}`, /joiner\./],
  'namespace gadget': [`{{ namespace.__init__.__globals__.os.popen('id').read() }}`, /namespace\./],
  'template reference context': [`{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}`, /self\./],
  'request.application': [`{{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}`, /request\./],
  'url_for globals': [`{{ url_for.__globals__.os.popen('id').read() }}`, /url_for\./],
  'get_flashed_messages': [`{{ get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read() }}`, /get_flashed_messages\./],
  'config items': [`{{ config.items() }}`, /config\./],
  'mro walk': [`{{ ''.__class__.__mro__[1].__subclasses__()[40]('/etc/passwd').read() }}`, /__mro__/],
  'attr with hex escapes': [`{{ ()|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fbase\\x5f\\x5f') }}`, /\|attr|'__class__'/],
  'attr with a computed name': [`{% set u = '_'*2 %}{{ ()|attr(u ~ 'class' ~ u) }}`, /\|attr|concatenation/],
  'split dunder': [`{% set c = '__cla' ~ 'ss__' %}{{ ()[c] }}`, /'__cla'|'ss__'/],
  '%c format': [`{{ ()["%c%c%s%c%c"|format(95,95,"class",95,95)] }}`, /%c/],
  'octal escapes in a subscript': [`{{ ''['\\137\\137class\\137\\137'] }}`, /'__class__'/],
  'named escapes': [`{{ ()['\\N{LOW LINE}\\N{LOW LINE}class\\N{LOW LINE}\\N{LOW LINE}'] }}`, /escaped name/],
  'repr harvesting': [`{% set u = (()|select|string)[24] %}{{ x[u] }}`, /select\|string/],
  'subscripted os': [`{{ x.y['os'] }}`, /\['os'\]/],
  'whitespace control': [`{{- ().__class__ -}}`, /__class__/],
  'end marker inside a string': [`{{ "}}" ~ ().__class__ }}`, /__class__/],
  'private attribute': [`{{ loop._after }}`, /\._after/],
  'subprocess by name': [`{% set p = subprocess %}`, /subprocess/],
  'adjacent literals': [`{{ ()['_' '_' 'class' '_' '_'] }}`, /'__class__'/],
  'joined list of parts': [`{{ ()[['_', '_', 'class', '_', '_']|join] }}`, /as a name part|computed name/],
  'computed subscript': [`{% set a = 'cla' %}{{ ()[a ~ 'ss'] }}`, /computed name/],
  'str.format of underscores': [`{{ ()['{0}{0}class{0}{0}'.format('_')] }}`, /as a name part|computed name/],
};

describe('chat template analysis', () => {
  for (const [name, t] of Object.entries(BENIGN)) {
    it(`does not flag a benign ${name} template`, () => {
      assert.deepEqual(analyzeChatTemplate(t), []);
    });
  }

  for (const [name, [t, label]] of Object.entries(MALICIOUS)) {
    it(`flags ${name}`, () => {
      const f = analyzeChatTemplate(t);
      assert.ok(f.length > 0, 'no finding');
      assert.match(describeTemplateFindings(f), label);
      for (const x of f) assert.ok(x.offset >= 0 && x.offset < t.length);
    });
  }

  it('points at the offending code', () => {
    const t = `{{ messages[0].content }}{{ x.__class__ }}`;
    const f = analyzeChatTemplate(t);
    assert.deepEqual(f.map((x) => x.what), ['__class__']);
    assert.equal(t.slice(f[0]!.offset, f[0]!.offset + 9), '__class__');
  });

  it('still flags code after an unterminated comment or block', () => {
    assert.deepEqual(analyzeChatTemplate('{# never closed __class__'), []);
    assert.ok(analyzeChatTemplate('{{ ().__class__').length > 0);
  });

  it('summarises many findings', () => {
    const s = describeTemplateFindings([
      { what: 'a', offset: 0 }, { what: 'b', offset: 1 }, { what: 'c', offset: 2 }, { what: 'd', offset: 3 }, { what: 'e', offset: 4 }, { what: 'a', offset: 5 },
    ]);
    assert.equal(s, '`a`, `b`, `c`, `d` and 1 more');
  });

  it('caps the number of findings', () => {
    assert.equal(analyzeChatTemplate('{{ x.__a__ }}'.repeat(100), 20).length, 20);
  });

  it('runs in linear time on adversarial input', function () {
    this.timeout(60_000);
    const n = 400_000;
    for (const t of [
      '{{' + "'".repeat(n),
      '{{ ' + '('.repeat(n),
      '{%'.repeat(n),
      '{{ "' + '\\'.repeat(n),
      '{% raw %}' + '{% endra'.repeat(n / 8),
      '{{ ' + 'a.'.repeat(n) + ' }}',
      `{{ '${'_'.repeat(n)}x' }}`,
      `{{ 'a${'_'.repeat(n)}' }}`,
    ]) {
      analyzeChatTemplate(t);
    }
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '%', '#', '-', '"', "'", '\\', '_', 'a', ' ', '(', ')', '.', '|', 'x'), maxLength: 200 }), (s) => {
        const f = analyzeChatTemplate(s);
        assert.ok(Array.isArray(f));
      }),
      { numRuns: 2000 },
    );
  });
});
