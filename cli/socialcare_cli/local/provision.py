"""The template's resources created in the emulator as CloudFormation would: tables,
secrets, buckets, queues, functions, the state machine (alarms, their topic, schedules
and SES identities: provision_operations.py)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from secrets import token_urlsafe
from typing import Any

from socialcare_cli.local.names import ACCOUNT_ID, PREFIX, REGION
from socialcare_cli.local.stack_parts import StackParts
from socialcare_cli.local.template import resolve


class Provisioning(StackParts):
    """Mixed into LocalStack: each resource of the template, as CloudFormation would create it."""

    def _provision(self) -> None:
        self.refs.update(self.template.parameter_defaults())
        self.refs.update(
            {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT_ID, "AWS::URLSuffix": "localhost"}
        )
        self.refs["AWS::StackName"] = PREFIX
        self.refs["AWS::Partition"] = "aws"
        self.conditions = self.template.conditions(self.refs)
        for logical_id in self.template.of_type("AWS::Serverless::HttpApi"):
            self.refs[logical_id] = "local"  # served by LocalApiServer, see set_api_base_url
        self._resources(self._role())
        os.environ.update(self._functions_environment())
        os.environ.update(self.console_login_environment())
        for logical_id in self.template.functions():
            self._load_handler(logical_id)
        self._provision_operations()
        self._load_customers()
        self._seed_saved_replies()

    def _resources(self, role_arn: str) -> None:
        """Tables, secrets, buckets and queues first: functions and state machines name them."""
        for logical_id, resource in self.template.of_type("AWS::DynamoDB::Table").items():
            self._table(logical_id, resource["Properties"])
        for logical_id, resource in self.template.of_type("AWS::SecretsManager::Secret").items():
            self._secret(logical_id, resource["Properties"])
        self._provision_cognito()
        for logical_id, resource in self.template.of_type("AWS::S3::Bucket").items():
            self._bucket(logical_id, resource.get("Properties") or {})
        for logical_id in self.template.of_type("AWS::SQS::Queue"):
            self._queue(logical_id)
        for logical_id in self.template.functions():
            self._function(logical_id, role_arn)
        for logical_id, resource in self.template.of_type("AWS::Serverless::StateMachine").items():
            self._state_machine(logical_id, resource["Properties"], role_arn)

    def _functions_environment(self) -> dict[str, str]:
        """Every function's variables: the real handlers run in this process."""
        environment = {}
        for logical_id in self.template.functions():
            environment.update(self.function_environment(logical_id))
        environment["OUTBOUND_MODE"] = "live"  # against the emulator; see set_outbound_mode
        if self.quiet:
            environment.update(POWERTOOLS_LOG_LEVEL="ERROR", POWERTOOLS_METRICS_DISABLED="true")
        return environment

    def _load_customers(self) -> None:
        import yaml

        from socialcare.config.files import CONFIG_DIR

        path = CONFIG_DIR / "customers.yaml"
        if "CustomersTable" not in self.refs or not path.exists():
            return
        dynamodb = self.client("dynamodb")
        for customer in yaml.safe_load(path.read_text(encoding="utf-8"))["customers"]:
            item = {"customer_key": f"{customer['platform']}#{customer['author_id']}"}
            item.update({k: str(v) for k, v in customer.items() if k not in item})
            dynamodb.put_item(
                TableName=self.refs["CustomersTable"],
                Item={k: {"S": v} for k, v in item.items()},
            )

    def _seed_saved_replies(self) -> None:
        """The console's saved replies a new stack starts with (config/saved_replies.yaml),
        through the handlers' own composition root (the environment is set above)."""
        from socialcare import bootstrap
        from socialcare.bootstrap.console_approvals import seed_saved_replies

        seed_saved_replies(bootstrap.root())

    def function_environment(self, logical_id: str) -> dict[str, str]:
        variables = self.template.function_environment(logical_id)
        return {
            k: str(resolve(v, self.refs, self.attributes, self.conditions))
            for k, v in variables.items()
        }

    def _role(self) -> str:
        iam = self.client("iam")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        role = iam.create_role(
            RoleName=f"{PREFIX}-role", AssumeRolePolicyDocument=json.dumps(trust)
        )
        return role["Role"]["Arn"]

    def _table(self, logical_id: str, props: dict[str, Any]) -> None:
        name = f"{PREFIX}-{logical_id}"
        dynamodb = self.client("dynamodb")
        request: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if props.get("StreamSpecification"):
            request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        description = dynamodb.create_table(**request)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = description["TableArn"]
        if "LatestStreamArn" in description:
            self.attributes[f"{logical_id}.StreamArn"] = description["LatestStreamArn"]

    def _secret(self, logical_id: str, props: dict[str, Any]) -> None:
        generated = props.get("GenerateSecretString", {})
        if "SecretStringTemplate" in generated:  # the platform secrets: the local values
            value = json.dumps(self.secrets)
        elif "SecretString" in props:  # the access tokens: the platform emulator's
            value = json.dumps(self.platforms.tokens)
        else:  # a generated key (report links): random, as Secrets Manager would make it
            value = token_urlsafe(48)
        created = self.client("secretsmanager").create_secret(
            Name=f"{PREFIX}/{logical_id}", SecretString=value
        )
        self.refs[logical_id] = created["ARN"]

    def _bucket(self, logical_id: str, props: dict[str, Any]) -> None:
        name = f"{PREFIX}-{logical_id}".lower()
        s3 = self.client("s3")
        s3.create_bucket(Bucket=name)
        versioning = (props.get("VersioningConfiguration") or {}).get("Status")
        if versioning:  # an overwritten object stays as a noncurrent version, as in AWS
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = f"arn:aws:s3:::{name}"

    def _queue(self, logical_id: str) -> None:
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=f"{PREFIX}-{logical_id}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        self.refs[logical_id] = url
        self.attributes[f"{logical_id}.Arn"] = arn["Attributes"]["QueueArn"]
        self.attributes[f"{logical_id}.QueueName"] = f"{PREFIX}-{logical_id}"

    def _function(self, logical_id: str, role_arn: str) -> None:
        name = f"{PREFIX}-{logical_id}"
        created = self.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.13",
            Role=role_arn,
            Handler=self.template.functions()[logical_id]["Properties"]["Handler"],
            Code={"ZipFile": _placeholder_zip()},
            Architectures=["arm64"],
        )
        self.refs[logical_id] = name
        self.attributes[f"{logical_id}.Arn"] = created["FunctionArn"]

    def _state_machine(self, logical_id: str, props: dict[str, Any], role_arn: str) -> None:
        definition = (self.root / props["DefinitionUri"]).read_text(encoding="utf-8")
        name = resolve(props.get("Name", f"{PREFIX}-{logical_id}"), self.refs, self.attributes)
        substitutions = resolve(
            props.get("DefinitionSubstitutions", {}), self.refs, self.attributes
        )
        for key, value in substitutions.items():
            definition = definition.replace("${" + key + "}", str(value))
        created = self.client("stepfunctions").create_state_machine(
            name=name,
            definition=definition,
            roleArn=role_arn,
            type=props.get("Type", "STANDARD"),
        )
        self.refs[logical_id] = created["stateMachineArn"]


def _placeholder_zip() -> bytes:
    """moto wants code; the handler that really runs is loaded from the working tree."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    return event\n")
    return buffer.getvalue()
