# ---- the testing toolkit: run --mock-config and test-state ---------------------
# Included by CMakeLists.txt here (stepsim_cli_test, CLI_GOLDEN, CLI_PINNED).
set(CLI_MOCK_MACHINE tests/testing/data/LambdaSQSIntegration.asl.json)
set(CLI_MOCKS tests/testing/data/MockConfigFile.json)

# AWS's RetryPath: three mocked failures, retried after 2, 4 and 8 s, then success.
stepsim_cli_test(run_mock_config_retry_path
  CHECKS -DEXIT=0 -DSTDOUT=${CLI_GOLDEN}/mock-retry-path.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config ${CLI_MOCKS} --test-case RetryPath ${CLI_PINNED})

# HybridPath mocks LambdaState only; --echo-tasks answers SQSState.
stepsim_cli_test(run_mock_config_hybrid_path_falls_back
  CHECKS -DEXIT=0 -DSTDERR=${CLI_GOLDEN}/empty.txt
    [[-DSTDOUT_MATCH="output": "{\\"QueueUrl\\":\\"https://sqs.us-east-1.amazonaws.com/123456789012/myQueue\\",\\"MessageBody\\":{\\"StatusCode\\":200,]]
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config ${CLI_MOCKS} --test-case HybridPath --echo-tasks ${CLI_PINNED})

stepsim_cli_test(run_mock_config_unknown_test_case_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/mock-unknown-test-case.txt
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config ${CLI_MOCKS} --test-case SadPath)

stepsim_cli_test(run_mock_config_bad_file_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/mock-bad-file.txt
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config tests/cli/data/bad-mock-config.json --test-case HappyPath)

stepsim_cli_test(run_mock_config_missing_file_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR_LINES=1 "-DSTDERR_MATCH=^stepsim: cannot open 'no/such/mocks.json'"
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config no/such/mocks.json --test-case HappyPath)

stepsim_cli_test(run_mock_config_without_test_case_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR_LINES=1 "-DSTDERR_MATCH=^stepsim: --mock-config and --test-case go together"
  COMMAND run ${CLI_MOCK_MACHINE} --mock-config ${CLI_MOCKS})

stepsim_cli_test(test_state_pass_debug
  CHECKS -DEXIT=0 -DSTDOUT=${CLI_GOLDEN}/test-state-pass-debug.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND test-state --inspection-level DEBUG --role-arn arn:aws:iam::123456789012:role/ignored
    --definition [[{"Type": "Pass", "InputPath": "$.initialData", "Parameters": {"inputValue.$": "$.fieldFromInput"}, "ResultPath": "$.modifiedData", "Next": "After"}]]
    --input [[{"initialData": {"fieldFromInput": "value from input"}}]])

stepsim_cli_test(test_state_task_retriable_exits_1
  CHECKS -DEXIT=1 -DSTDOUT=${CLI_GOLDEN}/test-state-retriable.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND test-state --inspection-level TRACE --definition file://${CLI_MOCK_MACHINE} --state-name LambdaState
    --mock [[{"errorOutput": {"error": "Lambda.TimeoutException", "cause": "Lambda timed out."}}]]
    --state-configuration [[{"retrierRetryCount": 1}]])

stepsim_cli_test(test_state_task_mocked_result
  CHECKS -DEXIT=0 -DSTDOUT=${CLI_GOLDEN}/test-state-mocked-result.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND test-state --definition file://${CLI_MOCK_MACHINE} --state-name SQSState --input [[{"n": 1}]]
    --mock [[{"result": "{\"MessageId\": \"m-1\"}"}]])

stepsim_cli_test(test_state_invalid_definition_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/test-state-invalid.txt
  COMMAND test-state --definition [[{"Type": "Pass", "OutputPath": 1, "End": true}]])

stepsim_cli_test(test_state_bad_mock_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR_LINES=1
    "-DSTDERR_MATCH=^stepsim: --mock: 'result' must be a string of JSON text"
  COMMAND test-state --definition [[{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}]]
    --mock [[{"result": {"not": "text"}}]])

# A JSONata Map with its mock: two failed iterations of three, one tolerated, caught.
stepsim_cli_test(test_state_map_threshold_caught_exits_1
  CHECKS -DEXIT=1 -DSTDOUT=${CLI_GOLDEN}/test-state-map-caught.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND test-state --inspection-level DEBUG --input [[{"Values": ["first", "second", "third"]}]]
    --mock [[{"result": "[0, 0, 1]"}]] --state-configuration [[{"mapIterationFailureCount": 2}]]
    --definition [[{"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.Values %}", "ToleratedFailureCount": 1, "End": true, "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Pass", "End": true}}}, "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Output": "{% $states.errorOutput %}", "Next": "HandleThreshold"}]}]])

stepsim_cli_test(test_state_map_without_mock_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR_LINES=2
    "-DSTDERR_MATCH=^stepsim: the TestState request is invalid \\(InvalidDefinition\\):.TestState API does not support Map or Parallel states"
  COMMAND test-state --definition [[{"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}]])

stepsim_cli_test(help_test_state_exits_0
  CHECKS -DEXIT=0 -DSTDERR=${CLI_GOLDEN}/empty.txt "-DSTDOUT_MATCH=--inspection-level.*--mock.*--state-configuration"
  COMMAND test-state --help)
