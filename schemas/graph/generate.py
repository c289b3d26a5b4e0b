#!/usr/bin/env python3
"""Generate JSON Schemas (draft 2020-12) of the Microsoft Graph types entralint reads.

The input is Microsoft Graph's own CSDL metadata: the document served at
https://graph.microsoft.com/v1.0/$metadata and https://graph.microsoft.com/beta/$metadata
(https://learn.microsoft.com/en-us/graph/traverse-the-graph#microsoft-graph-api-metadata), of
which the microsoftgraph/msgraph-metadata repository keeps dated copies
(https://github.com/microsoftgraph/msgraph-metadata). This script reads a copy on disk and never
downloads anything:

    python3 schemas/graph/generate.py --version v1.0 --out schemas/graph/v1.0 CSDL.xml

It writes one file per root type (ROOTS below), `<type>.schema.json`, holding the root type, every
type it reaches in `$defs`, keyed by qualified name (`microsoft.graph.riskLevel`). Output is
pretty-printed with sorted keys, so the same metadata always gives the same bytes.

How the CSDL becomes JSON Schema, and why (the JSON Graph sends and receives is OData JSON):

* Primitive types. Edm.String, Edm.Guid -> string; Edm.Boolean -> boolean; Edm.Byte, Edm.SByte,
  Edm.Int16, Edm.Int32, Edm.Int64 -> integer; Edm.Double, Edm.Single, Edm.Decimal -> number
  (Double and Single also as the strings "INF", "-INF", "NaN"); Edm.DateTimeOffset -> string,
  format date-time ("The Timestamp type represents date and time information using ISO 8601
  format and is always in UTC time", e.g. the property table of
  https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccesspolicy); Edm.Date ->
  string, format date; Edm.TimeOfDay -> string hh:mm[:ss[.fffffff]]; Edm.Duration -> string, an
  ISO 8601 duration in the OData form [-]P[nD][T[nH][nM][n[.n]S]] ("maximumDuration": "String
  (duration)" in https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicyexpirationrule,
  "PT8H"-style values in https://learn.microsoft.com/en-us/graph/api/resources/expirationpattern);
  Edm.Binary -> base64url string; Edm.Untyped and anything unknown -> any JSON value. The
  representation of each primitive type is defined by OData JSON Format 4.01, section 7.1
  (https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html).
* Collection(X) -> array of X.
* Nullable. A single-valued property without Nullable="false" may be null. For a collection the
  attribute applies to its items, and the collection itself is an array, never null (OData CSDL
  XML 4.01, section 7.2.1,
  https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html).
* Nothing is required. Graph leaves properties out when $select does not ask for them
  (https://learn.microsoft.com/en-us/graph/query-parameters#select-parameter), and hand-written
  policies hold only what their author wrote; which property a check needs is the linter's to say.
* Enum types -> string, one of the member names, in metadata order. Members after
  unknownFutureValue are included: Graph returns them only to callers that send
  `Prefer: include-unknown-enum-members`
  (https://learn.microsoft.com/en-us/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations),
  but exports made that way contain them.
* Flags enums (IsFlags="true", such as authenticationMethodModes) -> string of one or more member
  names joined by commas without spaces, as in "password,sms": a pattern, with each member listed
  under `examples` (https://learn.microsoft.com/en-us/graph/api/resources/authenticationstrengthpolicy,
  allowedCombinations).
* Inheritance. A type's properties are its own merged with every base type's (BaseType).
* Derived types. Where a type has derived types (namedLocation: ipNamedLocation,
  countryNamedLocation; unifiedRoleManagementPolicyRule: the expiration, enablement, approval,
  authentication context and notification rules; ipRange: iPv4CidrRange, ...), a value of that
  declared type may be of any of them, named by "@odata.type": "#microsoft.graph.<name>"
  (https://learn.microsoft.com/en-us/graph/api/resources/namedlocation,
  https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicyrule). The
  schema `<type>-or-derived` dispatches on "@odata.type" to the schema of exactly that type.
  Without "@odata.type" a value is of the declared type itself (OData JSON Format 4.01, section
  4.5.3: the type of an instance of a derived type is always given); when the declared type is
  abstract, which Graph never sends untyped but hand-written files may, the value must match one
  of the concrete types of the family. The leading "#" is accepted with or without, since Graph's
  own reference pages print both forms.
* Instance and property annotations ("@odata.context", "@odata.type", "@odata.nextLink",
  "@microsoft.graph.tips", "<property>@odata.context", ...; OData JSON Format 4.01, "Instance
  Annotations"), and the actions and functions a response with odata.metadata=full advertises
  ("#microsoft.graph.restore": {...}; same document, "Advertisement for a Bound Action"), are
  always allowed, whatever the type.
* Unknown properties are allowed ("additionalProperties" is never false), and every object
  type's `properties` list all its structural and navigation properties and those of its base
  types: the known names, from which a linter can report a name neither version knows and suggest
  the one meant. Rejecting unknown names in the schemas themselves would be wrong twice over:
  Graph returns properties its metadata does not declare (a beta conditionalAccessPolicy carries
  "templateId" and "partialEnablementStrategy" although the beta metadata declares neither), and
  exports mix properties that only v1.0 declares with ones only beta declares, so that an object
  fine property by property would be valid in neither version (see README.md).
* Navigation properties are optional properties too: exports sometimes expand them (`rules`,
  `effectiveRules`, `principal`, `roleDefinition`, `authenticationStrength`). When the target is
  a root type, or is in a root type's family, it is described; otherwise (users, groups, other
  directory objects) any object is accepted.
"""

import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

EDM_NS = "{http://docs.oasis-open.org/odata/ns/edm}"
GRAPH = "microsoft.graph."
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://entralint.dev/schemas/graph/"

# The types entralint reads, each written to its own file.
ROOTS = [
    "microsoft.graph.conditionalAccessPolicy",
    "microsoft.graph.authenticationStrengthPolicy",
    "microsoft.graph.authenticationCombinationConfiguration",
    "microsoft.graph.authenticationContextClassReference",
    "microsoft.graph.namedLocation",
    "microsoft.graph.unifiedRoleManagementPolicy",
    "microsoft.graph.unifiedRoleManagementPolicyRule",
    "microsoft.graph.unifiedRoleManagementPolicyAssignment",
    "microsoft.graph.unifiedRoleAssignment",
    "microsoft.graph.unifiedRoleAssignmentSchedule",
    "microsoft.graph.unifiedRoleAssignmentScheduleInstance",
    "microsoft.graph.unifiedRoleEligibilitySchedule",
    "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
    "microsoft.graph.unifiedRoleDefinition",
]

# Names of instance and property annotations: "@odata.type", "ipRanges@odata.type", ...
ANNOTATION_PATTERN = r"^[A-Za-z0-9_]*@[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$"
# Names of advertised actions and functions: "#microsoft.graph.restore", ...
OPERATION_PATTERN = r"^#[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+(\(.*\))?$"

DURATION_PATTERN = (
    r"^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
GUID_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
TIME_OF_DAY_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?$"

INTEGER_RANGES = {
    "Edm.Byte": (0, 255),
    "Edm.SByte": (-128, 127),
    "Edm.Int16": (-32768, 32767),
    "Edm.Int32": (-2147483648, 2147483647),
}


def primitive_schema(edm):
    """The JSON Schema of one value of an Edm primitive type."""
    if edm in ("Edm.String",):
        return {"type": "string"}
    if edm == "Edm.Guid":
        return {"type": "string", "format": "uuid", "pattern": GUID_PATTERN}
    if edm == "Edm.Boolean":
        return {"type": "boolean"}
    if edm in INTEGER_RANGES:
        low, high = INTEGER_RANGES[edm]
        return {"type": "integer", "minimum": low, "maximum": high}
    if edm == "Edm.Int64":
        return {"type": "integer"}
    if edm in ("Edm.Double", "Edm.Single"):
        return {"anyOf": [{"type": "number"}, {"enum": ["INF", "-INF", "NaN"]}]}
    if edm == "Edm.Decimal":
        return {"type": "number"}
    if edm == "Edm.DateTimeOffset":
        return {"type": "string", "format": "date-time"}
    if edm == "Edm.Date":
        return {"type": "string", "format": "date"}
    if edm == "Edm.TimeOfDay":
        return {"type": "string", "pattern": TIME_OF_DAY_PATTERN}
    if edm == "Edm.Duration":
        return {"type": "string", "pattern": DURATION_PATTERN}
    if edm == "Edm.Binary":
        return {"type": "string", "contentEncoding": "base64url"}
    if edm == "Edm.Stream":
        return {"type": "string"}
    # Edm.Untyped, Edm.PrimitiveType, geography and geometry types: not checked.
    return {}


def nullable(schema):
    """`schema`, or null."""
    if schema == {}:
        return {}
    if set(schema) <= {"type", "format", "pattern", "minimum", "maximum", "contentEncoding"} and isinstance(
        schema.get("type"), str
    ):
        out = dict(schema)
        out["type"] = [schema["type"], "null"]
        return out
    return {"anyOf": [schema, {"type": "null"}]}


class Model:
    """The types of one CSDL document, by qualified name."""

    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.types = {}  # qualified name -> (kind, element, namespace)
        self.aliases = {}
        schemas = list(root.iter(EDM_NS + "Schema"))
        if not schemas:
            sys.exit(f"{path}: no CSDL Schema element")
        for schema in schemas:
            ns = schema.get("Namespace")
            alias = schema.get("Alias")
            if alias:
                self.aliases[alias] = ns
        for schema in schemas:
            ns = schema.get("Namespace")
            for kind in ("EntityType", "ComplexType", "EnumType", "TypeDefinition"):
                for el in schema.findall(EDM_NS + kind):
                    self.types[ns + "." + el.get("Name")] = (kind, el, ns)
        self.derived = {}  # qualified name -> direct derived types
        for name, (kind, el, ns) in self.types.items():
            base = el.get("BaseType")
            if base:
                self.derived.setdefault(self.qualify(base, ns), []).append(name)

    def qualify(self, name, ns=None):
        """The namespace-qualified form of a type name written with an alias or in full."""
        head, _, last = name.rpartition(".")
        if head in self.aliases:
            return self.aliases[head] + "." + last
        return name

    def kind(self, name):
        return self.types[name][0] if name in self.types else None

    def element(self, name):
        return self.types[name][1]

    def is_abstract(self, name):
        return self.element(name).get("Abstract") == "true"

    def is_open(self, name):
        """Open if the type or one of its base types is declared open."""
        return any(self.element(t).get("OpenType") == "true" for t in self.lineage(name))

    def lineage(self, name):
        """The type and its base types, most basic first."""
        chain = []
        seen = set()
        while name and name not in seen:
            if name not in self.types:
                sys.exit(f"type {name} is used but not defined in the metadata")
            seen.add(name)
            chain.append(name)
            _, el, ns = self.types[name]
            base = el.get("BaseType")
            name = self.qualify(base, ns) if base else None
        return list(reversed(chain))

    def descendants(self, name):
        """Every type derived from `name`, directly or not, sorted."""
        out = set()
        todo = [name]
        while todo:
            for d in self.derived.get(todo.pop(), []):
                if d not in out:
                    out.add(d)
                    todo.append(d)
        return sorted(out)

    def family(self, name):
        """`name` and its derived types."""
        return [name] + self.descendants(name)

    def concrete_family(self, name):
        return [t for t in self.family(name) if not self.is_abstract(t)]

    def members(self, name):
        """(property name, type, nullable, is navigation) of the type and its base types."""
        props = {}
        for t in self.lineage(name):
            _, el, ns = self.types[t]
            for child in el:
                if child.tag not in (EDM_NS + "Property", EDM_NS + "NavigationProperty"):
                    continue
                props[child.get("Name")] = (
                    child.get("Type"),
                    child.get("Nullable") != "false",
                    child.tag == EDM_NS + "NavigationProperty",
                    ns,
                )
        return props


def odata_type_names(name):
    return ["#" + name, name]


class Generator:
    def __init__(self, model, version):
        self.model = model
        self.version = version
        # Navigation properties are described when they point into one of these families.
        self.followed = set()
        for root in ROOTS:
            if model.kind(root) is None:
                sys.exit(f"root type {root} is not in the metadata")
            self.followed.update(model.family(root))

    def ref(self, key):
        return {"$ref": "#/$defs/" + key}

    def type_ref(self, qname, todo):
        """The schema of a value of declared type `qname` (not null)."""
        m = self.model
        kind = m.kind(qname)
        if kind is None:
            if qname.startswith("Edm."):
                return primitive_schema(qname)
            sys.exit(f"type {qname} is used but not defined in the metadata")
        if kind == "TypeDefinition":
            return primitive_schema(m.element(qname).get("UnderlyingType"))
        if kind == "EnumType":
            todo.append(qname)
            return self.ref(qname)
        if len(m.family(qname)) > 1:
            todo.append(qname + "-or-derived")
            return self.ref(qname + "-or-derived")
        todo.append(qname)
        return self.ref(qname)

    def property_schema(self, type_name, is_nullable, is_navigation, ns, todo):
        m = self.model
        collection = type_name.startswith("Collection(")
        inner = type_name[len("Collection(") : -1] if collection else type_name
        inner = m.qualify(inner, ns)
        kind = m.kind(inner)
        if is_navigation and inner not in self.followed:
            item = {"type": "object", "description": f"An expanded {inner}; not described here."}
        elif kind in ("EntityType", "ComplexType") and m.is_abstract(inner) and not m.concrete_family(inner):
            item = {"type": "object"}
        else:
            item = self.type_ref(inner, todo)
        if collection:
            return {"type": "array", "items": nullable(item) if is_nullable else item}
        return nullable(item) if is_nullable else item

    def object_schema(self, qname, todo):
        m = self.model
        props = {}
        for pname, (ptype, pnull, pnav, ns) in sorted(m.members(qname).items()):
            props[pname] = self.property_schema(ptype, pnull, pnav, ns, todo)
        props["@odata.type"] = {"enum": odata_type_names(qname)}
        schema = {
            "type": "object",
            "description": f"{qname} ({m.element(qname).tag[len(EDM_NS):]}"
            + (", base types: " + ", ".join(m.lineage(qname)[:-1]) if len(m.lineage(qname)) > 1 else "")
            + ").",
            "properties": props,
            "patternProperties": {ANNOTATION_PATTERN: True, OPERATION_PATTERN: True},
        }
        if m.is_open(qname):
            schema["description"] += " An open type: it may carry any other property."
        return schema

    def dispatch_schema(self, qname, todo):
        m = self.model
        concrete = m.concrete_family(qname)
        for t in concrete:
            todo.append(t)
        branches = [
            {
                "if": {
                    "required": ["@odata.type"],
                    "properties": {"@odata.type": {"enum": odata_type_names(t)}},
                },
                "then": self.ref(t),
            }
            for t in concrete
        ]
        if m.is_abstract(qname):
            untyped = {"anyOf": [self.ref(t) for t in concrete]}
        else:
            untyped = self.ref(qname)
        branches.append({"if": {"not": {"required": ["@odata.type"]}}, "then": untyped})
        return {
            "type": "object",
            "description": f"A {qname} or a type derived from it, chosen by @odata.type"
            + (" (the type itself is abstract)" if m.is_abstract(qname) else "")
            + ".",
            "properties": {
                "@odata.type": {"enum": [n for t in concrete for n in odata_type_names(t)]}
            },
            "allOf": branches,
        }

    def enum_schema(self, qname):
        el = self.model.element(qname)
        names = [mem.get("Name") for mem in el.findall(EDM_NS + "Member")]
        if el.get("IsFlags") == "true":
            one = "(" + "|".join(re.escape(n) for n in names) + ")"
            return {
                "type": "string",
                "description": f"{qname}: a flags enum, one or more members joined by commas.",
                "pattern": f"^{one}(,{one})*$",
                "examples": names,
            }
        return {"type": "string", "description": f"{qname}.", "enum": names}

    def document(self, root):
        defs = {}
        todo = []
        top = self.type_ref(root, todo)
        while todo:
            key = todo.pop()
            if key in defs:
                continue
            defs[key] = {}  # placeholder, so that cycles stop
            if key.endswith("-or-derived"):
                defs[key] = self.dispatch_schema(key[: -len("-or-derived")], todo)
            elif self.model.kind(key) == "EnumType":
                defs[key] = self.enum_schema(key)
            else:
                defs[key] = self.object_schema(key, todo)
        short = root[len(GRAPH) :]
        doc = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{ID_BASE}{self.version}/{short}.schema.json",
            "title": f"{root} (Microsoft Graph {self.version})",
            "description": f"A {root} as Microsoft Graph {self.version} represents it in JSON, "
            "generated from Graph's CSDL metadata by schemas/graph/generate.py; do not edit.",
            "$defs": defs,
        }
        doc.update(top)
        return doc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("csdl", help="a copy of Graph's CSDL metadata (XML)")
    parser.add_argument("--version", required=True, help="the API version it describes: v1.0 or beta")
    parser.add_argument("--out", required=True, help="the folder to write the schemas to")
    args = parser.parse_args(argv)

    model = Model(args.csdl)
    gen = Generator(model, args.version)
    os.makedirs(args.out, exist_ok=True)
    for root in ROOTS:
        doc = gen.document(root)
        path = os.path.join(args.out, root[len(GRAPH) :] + ".schema.json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(doc, f, indent=2, sort_keys=True, ensure_ascii=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
