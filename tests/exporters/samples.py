"""Definitions the exporter tests share: one touching every integration the IAM generator knows."""

from __future__ import annotations

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:score"

EVERYTHING = {
    "Comment": "one of each integration",
    "StartAt": "Score",
    "States": {
        "Score": {"Type": "Task", "Resource": LAMBDA_ARN, "TimeoutSeconds": 30, "Next": "Invoke"},
        "Invoke": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "enrich:live", "Payload.$": "$"},
            "Next": "Queue",
        },
        "Queue": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
                "MessageBody": {"token.$": "$$.Task.Token"},
            },
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:done", "Message.$": "$"},
            "Next": "Save",
        },
        "Save": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "Orders", "Item": {"id": {"S.$": "$.id"}}},
            "ResultPath": None,
            "Next": "Emit",
        },
        "Emit": {
            "Type": "Task",
            "Resource": "arn:aws:states:::events:putEvents",
            "Parameters": {"Entries": [{"EventBusName": "orders", "Detail.$": "$", "DetailType": "x", "Source": "y"}]},
            "Next": "Child",
        },
        "Child": {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child",
                "Input.$": "$",
            },
            "Next": "Call",
        },
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {
                "ApiEndpoint": "https://api.example.com/orders",
                "Method": "POST",
                "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/api/abc"},
            },
            "Next": "Fetch",
        },
        "Fetch": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
            "Parameters": {"Bucket": "reports", "Key": "latest.json"},
            "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/reader"},
            "Next": "Fan",
        },
        "Fan": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "inputs", "Key": "items.json"},
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Each",
                "States": {"Each": {"Type": "Pass", "End": True}},
            },
            "ResultWriter": {
                "Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "outputs", "Prefix": "run/"},
            },
            "Label": "Fan",
            "End": True,
        },
    },
}

WITH_PLACEHOLDERS = {
    "StartAt": "Work",
    "States": {
        "Work": {
            "Type": "Task",
            "Resource": "${WorkerArn}",
            "TimeoutSeconds": 10,
            "Next": "Publish",
        },
        "Publish": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": "${TopicArn}", "Message": "done %{not a template} ${AWS::Region}"},
            "End": True,
        },
    },
}

JSONATA = {
    "QueryLanguage": "JSONata",
    "StartAt": "Add",
    "States": {
        "Add": {
            "Type": "Pass",
            "Output": "{% $states.input.a + 1 %}",
            "Assign": {"when": "2016-03-14T01:59:00Z", "text": "line one\nline two"},
            "End": True,
        }
    },
}
