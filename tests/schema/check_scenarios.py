#!/usr/bin/env python3
"""Validates scenario files against the scenario JSON Schema.

Usage: check_scenarios.py [--expect-invalid] SCHEMA FILE...

Each FILE is JSON with // and /* */ comments (stripped here, outside strings) or, by its
extension (.yaml, .yml), YAML read as faultline reads it (YAML 1.2 core scalars, keys as their
text). The schema itself is checked first (Draft 2020-12). A file with "strategies" is also checked
once per strategy: the strategy's JSON Merge Patch (RFC 7396) applied to the rest of the file,
reported as FILE#/strategies/NAME.

Prints every problem as "FILE: POINTER: message". Exit status: 0 when every file is valid, 1 when
any is not, 2 for a usage error or an invalid schema. With --expect-invalid the test is reversed:
every file must fail validation (exit 1 if any passes); for known-bad files.
"""

import copy
import json
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError, best_match
except ImportError:  # pragma: no cover
    sys.stderr.write("check_scenarios.py: needs the jsonschema package (Debian: python3-jsonschema)\n")
    sys.exit(2)

MAX_MESSAGE = 300


class DocumentError(Exception):
    """A file that cannot be read as a scenario document at all."""


# ---- JSON with comments ----

def strip_comments(text):
    """Replaces // and /* */ comments outside strings with spaces (newlines kept, so that the
    JSON parser's line numbers stay those of the file)."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
        elif c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise DocumentError("unterminated /* comment")
            end += 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:end]))
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise DocumentError(f"expected valid JSON, found a number out of range: {text}")
    return value


def load_json(text):
    duplicates = []

    def pairs(items):
        obj = {}
        for key, value in items:
            if key in obj:
                duplicates.append(key)
            obj[key] = value
        return obj

    try:
        document = json.loads(strip_comments(text), object_pairs_hook=pairs, parse_float=finite_float)
    except json.JSONDecodeError as error:
        raise DocumentError(f"expected valid JSON, found a syntax error at line {error.lineno}, "
                            f"column {error.colno}: {error.msg}") from None
    if duplicates:
        raise DocumentError("expected each key at most once per object, found " +
                            ", ".join(json.dumps(k) for k in duplicates) + " again")
    return document


# ---- YAML, as models/config/yaml_document.cpp reads it ----

def load_yaml(text):
    try:
        import yaml
    except ImportError:
        raise DocumentError("cannot read YAML: PyYAML is not installed (Debian: python3-yaml)") from None

    class Loader(yaml.SafeLoader):
        """YAML 1.2 core scalars as faultline reads them: a plain null/~/empty is null,
        true/false (three spellings) a boolean, a number in JSON's syntax that number, anything
        else ("on", "yes", "1:30", dates) a string. Keys are their text."""

    Loader.yaml_implicit_resolvers = {}
    Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                                 ["~", "n", "N", ""])
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                 re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                                 re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$"),
                                 list("-0123456789"))

    def construct_number(loader, node):
        return json.loads(loader.construct_scalar(node))

    def construct_bool(loader, node):
        return loader.construct_scalar(node).lower() == "true"

    def construct_mapping(loader, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        loader.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DocumentError(f"expected keys that are strings, found a non-scalar key "
                                    f"(line {key_node.start_mark.line + 1})")
            key = key_node.value
            if key in mapping:
                raise DocumentError(f"expected each key at most once per mapping, found {json.dumps(key)} again "
                                    f"(line {key_node.start_mark.line + 1})")
            mapping[key] = loader.construct_object(value_node, deep=True)
        return mapping

    Loader.add_constructor("tag:yaml.org,2002:float", construct_number)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_number)
    Loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    try:
        documents = list(yaml.load_all(text, Loader=Loader))
    except yaml.YAMLError as error:
        raise DocumentError(f"expected valid YAML, found {error}") from None
    if len(documents) != 1:
        raise DocumentError(f"expected one YAML document, found {len(documents)}")
    return documents[0]


def load_document(file):
    try:
        with open(file, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(f"expected a readable file, found {error}") from None
    if file.lower().endswith((".yaml", ".yml")):
        return load_yaml(text)
    return load_json(text)


# ---- JSON Merge Patch (RFC 7396) ----

def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# ---- Validation ----

def properties_keyword(validator, properties, instance, schema):
    """Draft 2020-12's "properties", except that a key whose subschema is false ("not allowed
    here") is reported at that key: jsonschema drops the path of a false subschema's error."""
    if not validator.is_type(instance, "object"):
        return
    allowed = {}
    for key, subschema in properties.items():
        if subschema is False and key in instance:
            yield ValidationError(f"expected no {key!r} here, found {shorten(as_json(instance[key]))}",
                                  path=[key], instance=instance[key], validator="false")
        else:
            allowed[key] = subschema
    yield from Draft202012Validator.VALIDATORS["properties"](validator, allowed, instance, schema)


ScenarioValidator = jsonschema.validators.extend(Draft202012Validator, {"properties": properties_keyword})


def pointer(path):
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def as_json(value):
    return json.dumps(value, ensure_ascii=False, default=str)


def shorten(message):
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 3] + "..."


def describe(error):
    """The error's message, with the most relevant sub-error of an anyOf/oneOf/if-then."""
    message = error.message
    if error.validator == "not" and isinstance(error.schema, dict) and "description" in error.schema:
        # "'0s' should not be valid under {...}" says little: the schema's description says what was expected.
        return shorten(f"expected {error.schema['description'][0].lower()}{error.schema['description'][1:].rstrip('.')}"
                       f", found {as_json(error.instance)}")
    if error.context:
        best = best_match(error.context)
        if best is not None:
            detail = f"{pointer(best.absolute_path) or '/'}: {shorten(best.message)}"
            message = f"{shorten(message)} (e.g. {detail})"
            return message
    return shorten(message)


def problems(validator, document):
    def order(error):
        return ([(0, step, "") if isinstance(step, int) else (1, 0, step) for step in error.absolute_path], error.message)

    errors = sorted(validator.iter_errors(document), key=order)
    return [(pointer(e.absolute_path), describe(e)) for e in errors]


def documents_of(file):
    """(label, document) pairs: the file itself, then each strategy's patched document."""
    document = load_document(file)
    yield file, document
    if isinstance(document, dict) and isinstance(document.get("strategies"), dict):
        base = {k: v for k, v in document.items() if k != "strategies"}
        for name, patch in document["strategies"].items():
            if isinstance(patch, dict):  # any other value is the base's own error
                yield f"{file}#{pointer(['strategies', name])}", merge_patch(base, patch)


def main(argv):
    args = argv[1:]
    expect_invalid = "--expect-invalid" in args
    args = [a for a in args if a != "--expect-invalid"]
    if len(args) < 2 or any(a.startswith("--") for a in args):
        sys.stderr.write("usage: check_scenarios.py [--expect-invalid] SCHEMA FILE...\n")
        return 2
    schema_file, files = args[0], args[1:]
    try:
        with open(schema_file, encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
    except (OSError, json.JSONDecodeError, jsonschema.exceptions.SchemaError) as error:
        sys.stderr.write(f"{schema_file}: not a valid Draft 2020-12 schema: {shorten(str(error))}\n")
        return 2
    validator = ScenarioValidator(schema)

    failed_files, passed_files = [], []
    for file in files:
        file_ok = True
        try:
            for label, document in documents_of(file):
                found = problems(validator, document)
                for at, message in found:
                    print(f"{label}: {at or '/'}: {message}")
                if found:
                    file_ok = False
                else:
                    print(f"{label}: ok")
        except DocumentError as error:
            print(f"{file}: /: {error}")
            file_ok = False
        (passed_files if file_ok else failed_files).append(file)

    if expect_invalid:
        for file in passed_files:
            print(f"{file}: expected to fail validation, but it passed")
        print(f"{len(failed_files)} of {len(files)} file(s) failed validation, as expected"
              if not passed_files else f"{len(passed_files)} of {len(files)} file(s) passed unexpectedly")
        return 1 if passed_files else 0
    print(f"{len(passed_files)} of {len(files)} file(s) valid")
    return 1 if failed_files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
