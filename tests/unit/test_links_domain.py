"""The links in emails under the brand's own domain: template parameters that make the
HTTP API's regional custom domain and point every function that writes a link at it."""

from __future__ import annotations

import re

from socialcare.config.loaders import routing_config
from socialcare.domain.cases import PublishLink
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare_cli.local.template import Template, resolve
from tests.conftest import ROOT
from tests.fakes import a_case
from tests.unit.test_workflow_steps import a_plan

TEMPLATE = Template.load(ROOT)
DOMAIN = "links.brand.example"
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"
REFS = {"HttpApi": "abc123", "AWS::Region": "eu-west-1", "AWS::URLSuffix": "amazonaws.com"}
# Every function that builds a link a person follows (actions, publish, survey, report)
LINK_WRITERS = ("TriageFunction", "WorkflowFunction", "ReportFunction")


def _links_base(function: str, **parameters: str) -> str:
    values = {**TEMPLATE.parameter_defaults(), **parameters}
    conditions = TEMPLATE.conditions(values)
    variable = TEMPLATE.function_environment(function)["ACTIONS_BASE_URL"]
    return resolve(variable, {**REFS, **values}, {}, conditions)


def _derivation_links(base_url: str) -> list[str]:
    email = CaseEmailComposer(routing_config(), base_url).social_team_copy(
        a_case(publish=PublishLink("k" * 32, "t" * 32)), a_plan(), "A" * 32
    )
    return re.findall(r'href="([^"]+)"', email.html)


def test_with_a_links_domain_the_derivation_email_links_to_it():
    # Given the stack deployed with the brand's domain and its certificate
    parameters = {"LinksDomainName": DOMAIN, "LinksCertificateArn": CERTIFICATE}
    # When the workflow composes a department's email (four actions, the publish link)
    links = _derivation_links(_links_base("WorkflowFunction", **parameters))
    # Then every link of the stack's begins with the domain
    ours = [link for link in links if "/actions/" in link or "/publish/" in link]
    assert len(ours) == 5
    assert all(link.startswith(f"https://{DOMAIN}/") for link in ours), ours
    # And every function that writes links uses it
    assert {_links_base(f, **parameters) for f in LINK_WRITERS} == {f"https://{DOMAIN}"}


def test_without_one_the_links_keep_the_apis_own_address():
    # Given the defaults (no domain)
    # Then the links are the HTTP API's execute-api address, as before
    expected = "https://abc123.execute-api.eu-west-1.amazonaws.com"
    assert {_links_base(f) for f in LINK_WRITERS} == {expected}
    # And a domain without its certificate makes no domain (the template's rule refuses it)
    assert _links_base("WorkflowFunction", LinksDomainName=DOMAIN) == expected
    rule = TEMPLATE.body["Rules"]["LinksDomainHasItsCertificate"]
    assert rule["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "LinksCertificateArn"}, ""]}]
    }


def test_the_domain_is_regional_mapped_to_the_api_and_its_dns_target_an_output():
    # Given the template's custom domain resources
    [(name, domain)] = TEMPLATE.of_type("AWS::ApiGatewayV2::DomainName").items()
    [mapping] = TEMPLATE.of_type("AWS::ApiGatewayV2::ApiMapping").values()
    # Then only with the parameters set; a regional endpoint with the stack Region's
    # certificate (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html)
    assert domain["Condition"] == mapping["Condition"] == "HasLinksDomain"
    [configuration] = domain["Properties"]["DomainNameConfigurations"]
    assert configuration["EndpointType"] == "REGIONAL"
    assert configuration["CertificateArn"] == {"Ref": "LinksCertificateArn"}
    assert configuration["SecurityPolicy"] == "TLS_1_2"
    # And mapped at the root to the HTTP API's stage
    assert mapping["Properties"]["ApiId"] == {"Ref": "HttpApi"}
    assert mapping["Properties"]["DomainName"] == {"Ref": name}
    assert mapping["Properties"]["Stage"] == {"Ref": "HttpApi.Stage"}
    assert "ApiMappingKey" not in mapping["Properties"]
    # And the DNS record's target is an output
    target = TEMPLATE.body["Outputs"]["LinksDomainTarget"]
    assert target["Value"] == {"Fn::GetAtt": [name, "RegionalDomainName"]}


class _Attributes(dict):
    def __missing__(self, name: str) -> str:
        return f"<{name}>"


def test_the_local_stack_reads_every_output_and_variable_through_the_conditions():
    # Given the template's defaults (no links domain, no alarm topic given) and a stand-in
    # for every resource
    values = TEMPLATE.parameter_defaults()
    refs = {**values, **{name: name.lower() for name in TEMPLATE.resources}, **REFS}
    refs.update({"AWS::AccountId": "123456789012", "AWS::StackName": "s", "AWS::Partition": "aws"})
    conditions = TEMPLATE.conditions(values)
    # When the local stack resolves outputs and environments as CloudFormation would
    outputs = {
        name: resolve(output["Value"], refs, _Attributes(), conditions)
        for name, output in TEMPLATE.body["Outputs"].items()
        if conditions.get(output.get("Condition", ""), True)
    }
    environments = [
        resolve(TEMPLATE.function_environment(f), refs, _Attributes(), conditions)
        for f in TEMPLATE.functions()
    ]
    # Then each is a value, never an unresolved Fn::If; the domain's outputs are left out
    assert all(isinstance(v, str) for v in outputs.values()), outputs
    assert outputs["LinksBaseUrl"] == "https://abc123.execute-api.eu-west-1.amazonaws.com"
    assert outputs["AlarmTopicArn"] == "alarmtopic"
    assert "LinksDomainTarget" not in outputs
    assert all(isinstance(v, str) for e in environments for v in e.values())
