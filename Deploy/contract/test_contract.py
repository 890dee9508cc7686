"""The event contract's rules: what counts as a compatible change, how versions are
published beside each other and retired, and that the generated AsyncAPI document is
valid and deterministic. Run by Deploy/local/test.sh:

    python -m unittest discover -s Deploy/contract -p 'test_*.py'

(with lib.sh's contract_tools, which have `asyncapi3` and `jsonschema`).
"""

import copy
import datetime
import json
import pathlib
import sys
import unittest
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import jsonschema  # noqa: E402

from asyncapi import CONTRACT, EVENTS_MD, build, occasions  # noqa: E402
from compatibility import breaking  # noqa: E402
from examples import example  # noqa: E402
from published import NOTICE_DAYS, history_problems, reconcile  # noqa: E402
from validation import validate  # noqa: E402

UUID = {"type": "string", "format": "uuid"}
CREATED = {
    "type": "object",
    "properties": {"requestId": UUID, "urgency": {"type": "string", "enum": ["urgent", "normal"]}, "count": {"type": "integer", "minimum": 0}},
    "required": ["requestId", "urgency"],
    "additionalProperties": False,
}
DAY = datetime.date(2026, 12, 1)


def changed(edit):
    schema = copy.deepcopy(CREATED)
    edit(schema)
    return schema


def contract(schema, version=1, previous=None):
    return {
        "topics": {"intake.request.created": schema},
        "versions": {"intake.request.created": version} if version != 1 else {},
        "previousVersions": {"intake.request.created": previous} if previous else {},
    }


class CompatibilityTests(unittest.TestCase):
    def test_additions_and_narrowing_keep_the_version(self):
        for name, edit in [
            ("a new optional field", lambda s: s["properties"].update(zone={"type": "string"})),
            ("a new required field", lambda s: (s["properties"].update(zone={"type": "string"}), s["required"].append("zone"))),
            ("an optional field made required", lambda s: s["required"].append("count")),
            ("an optional field removed", lambda s: s["properties"].pop("count")),
            ("an enum value dropped", lambda s: s["properties"]["urgency"].update(enum=["urgent"])),
            ("a bound tightened", lambda s: s["properties"]["count"].update(minimum=1)),
            ("a description", lambda s: s["properties"]["count"].update(description="residents")),
        ]:
            with self.subTest(name):
                self.assertEqual(breaking(CREATED, changed(edit)), [])

    def test_what_a_reader_relied_on_cannot_change(self):
        for name, edit, words in [
            ("a required field removed", lambda s: (s["properties"].pop("urgency"), s["required"].remove("urgency")), "urgency: was required"),
            ("a required field made optional", lambda s: s["required"].remove("requestId"), "requestId: was required"),
            ("a type changed", lambda s: s["properties"]["count"].update(type="string"), "type widened"),
            ("a type widened to null", lambda s: s["properties"]["count"].update(type=["integer", "null"]), "type widened"),
            ("an enum value added", lambda s: s["properties"]["urgency"]["enum"].append("later"), "new enum value"),
            ("an enum lifted", lambda s: s["properties"]["urgency"].pop("enum"), "enumeration was lifted"),
            ("a bound loosened", lambda s: s["properties"]["count"].update(minimum=-1), "minimum loosened"),
            ("a format changed", lambda s: s["properties"]["requestId"].update(format="uri"), "format changed"),
            ("an unknown keyword changed", lambda s: s.update(oneOf=[{"required": ["count"]}]), "oneOf changed"),
        ]:
            with self.subTest(name):
                reasons = breaking(CREATED, changed(edit))
                self.assertTrue(any(words in reason for reason in reasons), reasons)

    def test_nested_items_are_compared(self):
        old = {"type": "array", "items": {"type": "object", "properties": {"a": UUID}, "required": ["a"]}}
        new = {"type": "array", "items": {"type": "object", "properties": {"a": UUID}, "required": []}}
        self.assertEqual(breaking(old, new), ["data[].a: was required and no longer is"])

    def test_a_maps_values_and_boolean_schemas_are_compared(self):
        old = {"type": "object", "additionalProperties": {"type": "string"}}
        self.assertEqual(breaking(old, {"type": "object", "additionalProperties": {"type": "string", "description": "x"}}), [])
        self.assertTrue(breaking(old, {"type": "object", "additionalProperties": {"type": "object"}}))
        self.assertTrue(breaking(old, {"type": "object", "additionalProperties": True}))
        self.assertTrue(breaking(old, {"type": "object"}), "no schema for the values: any value")
        self.assertEqual(breaking(True, {"type": "string"}), [])
        self.assertEqual(breaking({"type": "string"}, False), [])
        self.assertEqual(breaking({"type": "string"}, True), ["data: became any value"])
        still_required = changed(lambda s: s["properties"].pop("urgency"))
        self.assertIn("data.urgency: still required but its schema was removed (any value now)", breaking(CREATED, still_required))

    def test_an_integer_is_still_a_number(self):
        self.assertEqual(breaking({"type": "number"}, {"type": "integer"}), [])
        self.assertNotEqual(breaking({"type": "integer"}, {"type": "number"}), [])


class PublishedVersionTests(unittest.TestCase):
    def first(self):
        record, problems = reconcile({}, contract(CREATED), DAY)
        self.assertEqual(problems, [])
        return record

    def test_a_new_topic_is_recorded_from_the_day_it_appears(self):
        record = self.first()
        self.assertEqual(record["topics"]["intake.request.created"]["1"], {"since": "2026-12-01", "schema": CREATED})

    def test_a_compatible_change_is_recorded_and_becomes_the_promise(self):
        wider = changed(lambda s: s["properties"].update(zone={"type": "string"}))
        record, problems = reconcile(self.first(), contract(wider), DAY + datetime.timedelta(days=3))
        self.assertEqual(problems, [])
        entry = record["topics"]["intake.request.created"]["1"]
        self.assertEqual((entry["since"], entry["schema"]), ("2026-12-01", wider))

    def test_an_incompatible_change_without_a_new_version_is_refused(self):
        narrower = changed(lambda s: s["required"].remove("urgency"))
        record, problems = reconcile(self.first(), contract(narrower), DAY)
        self.assertEqual(len(problems), 1)
        self.assertIn("publish it as v2 beside v1", problems[0])
        self.assertEqual(record["topics"]["intake.request.created"]["1"]["schema"], CREATED, "the promise is unchanged")

    def test_a_new_version_is_published_beside_the_old_for_the_notice_period(self):
        v2 = changed(lambda s: s["properties"]["urgency"]["enum"].append("later"))
        record, problems = reconcile(self.first(), contract(v2, version=2, previous={"1": CREATED}), DAY)
        self.assertEqual(problems, [])
        versions = record["topics"]["intake.request.created"]
        self.assertEqual(versions["1"]["supersededOn"], "2026-12-01")
        self.assertEqual(versions["2"]["since"], "2026-12-01")
        early = DAY + datetime.timedelta(days=NOTICE_DAYS - 1)
        _, problems = reconcile(record, contract(v2, version=2), early)
        self.assertEqual(len(problems), 1)
        self.assertIn("published beside its successor until 2027-03-01", problems[0])
        retired, problems = reconcile(record, contract(v2, version=2), DAY + datetime.timedelta(days=NOTICE_DAYS))
        self.assertEqual(problems, [])
        self.assertEqual(retired["topics"]["intake.request.created"]["1"]["retiredOn"], "2027-03-01")
        _, problems = reconcile(retired, contract(v2, version=2, previous={"1": CREATED}), DAY + datetime.timedelta(days=NOTICE_DAYS))
        self.assertIn("retired on 2027-03-01", problems[0])

    def test_a_field_removed_then_added_back_with_another_type_is_caught(self):
        without = changed(lambda s: s["properties"].pop("count"))
        record, problems = reconcile(self.first(), contract(without), DAY)
        self.assertEqual(problems, [], "an optional field may go")
        self.assertEqual(record["topics"]["intake.request.created"]["1"]["earlier"], [CREATED])
        back = changed(lambda s: s["properties"].update(count={"type": "string"}))
        _, problems = reconcile(record, contract(back), DAY)
        self.assertTrue(any("count: type widened" in problem for problem in problems), problems)

    def test_a_record_edited_by_hand_is_caught_against_its_history(self):
        first = self.first()
        bent = copy.deepcopy(first)
        bent["topics"]["intake.request.created"]["1"]["schema"] = changed(lambda s: s["required"].remove("urgency"))
        self.assertTrue(any("changed incompatibly" in problem for problem in history_problems([first, bent])))
        dropped = {"topics": {}}
        self.assertEqual(history_problems([first, dropped]), ["intake.request.created v1: dropped from the record"])
        wider = changed(lambda s: s["properties"].update(zone={"type": "string"}))
        kept, _ = reconcile(first, contract(wider), DAY)
        self.assertEqual(history_problems([first, kept]), [])

    def test_the_current_version_cannot_be_dropped_nor_go_back(self):
        record = self.first()
        _, problems = reconcile(record, {"topics": {}}, DAY)
        self.assertIn("removed while it is the current version", problems[0])
        v2 = changed(lambda s: s["required"].remove("urgency"))
        later, problems = reconcile(record, contract(v2, version=2, previous={"1": CREATED}), DAY)
        self.assertEqual(problems, [])
        _, problems = reconcile(later, contract(CREATED, version=1), DAY)
        self.assertTrue(any("v2: removed" in problem for problem in problems), problems)


class DocumentTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.contract = json.loads(CONTRACT.read_text())
        cls.markdown = EVENTS_MD.read_text()

    def test_every_topic_has_a_channel_a_message_and_its_occasion(self):
        document = build(self.contract, self.markdown)
        addresses = {channel["address"] for channel in document["channels"].values()}
        self.assertEqual(set(self.contract["topics"]) | {"{stream}.probe.p{n}"}, addresses)
        when = occasions(self.markdown)
        for topic in self.contract["topics"]:
            self.assertTrue(when.get(topic), f"{topic} has no row in docs/EVENTS.md")

    def test_the_document_is_valid_and_the_same_every_time(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # asyncapi3's own field-name warnings
            document = build(self.contract, self.markdown)
            self.assertEqual(validate(document), [])
        self.assertEqual(json.dumps(document), json.dumps(build(self.contract, self.markdown)))

    def test_a_broken_document_is_caught(self):
        document = build(self.contract, self.markdown)
        document["operations"]["probe"]["channel"] = {"$ref": "#/channels/nowhere"}
        document["components"]["messages"]["intake_tube_positive_v1"]["examples"][0]["payload"]["data"]["residents"] = "many"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            errors = validate(document)
        self.assertIn("$ref #/channels/nowhere names nothing", errors)
        document["operations"]["probe"]["channel"] = {"$ref": "#/channels/probe"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            errors = validate(document)
        self.assertTrue(any("intake_tube_positive_v1" in error and "'many'" in error for error in errors), errors)

    def test_examples_are_valid_for_every_topic(self):
        for topic, schema in self.contract["topics"].items():
            with self.subTest(topic):
                jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(example(schema))


if __name__ == "__main__":
    unittest.main()
