# ---- stepsim power-tune: Power Tuning offline ------------------------------------
# Included by CMakeLists.txt here (stepsim_cli_test, CLI_GOLDEN).
set(PT_EXAMPLE examples/power-tuning)

# The example end to end: its output is the golden file next to it (docs/power-tuning.md shows it).
stepsim_cli_test(power_tune_example
  CHECKS -DEXIT=0 -DSTDOUT=${PROJECT_SOURCE_DIR}/${PT_EXAMPLE}/expected-output.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND power-tune ${PT_EXAMPLE}/function.json --input-file ${PT_EXAMPLE}/input.json)

# docs/power-tuning.md's first example: an I/O-bound function is cheapest at 128 MB.
stepsim_cli_test(power_tune_io_bound_cheapest_is_smallest
  CHECKS -DEXIT=0 -DSTDOUT=${CLI_GOLDEN}/power-tune-io-bound.json -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND power-tune tests/cli/data/io-bound-function.json
    --input [[{"lambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:lookup", "num": 10}]])

stepsim_cli_test(power_tune_writes_report
  CHECKS -DEXIT=0 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/empty.txt
  COMMAND power-tune ${PT_EXAMPLE}/function.json --input-file ${PT_EXAMPLE}/input.json -q
    --out ${CMAKE_CURRENT_BINARY_DIR}/power-tune-out)

stepsim_cli_test(power_tune_bad_input_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/power-tune-bad-input.txt
  COMMAND power-tune ${PT_EXAMPLE}/function.json
    --input [[{"lambdaARN": "F", "num": 3, "strategy": "fast", "powerValues": [128, 20000]}]])

stepsim_cli_test(power_tune_bad_function_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt -DSTDERR=${CLI_GOLDEN}/power-tune-bad-function.txt
  COMMAND power-tune tests/cli/data/bad-function.json --input [[{"lambdaARN": "F", "num": 5}]])

stepsim_cli_test(power_tune_without_input_exits_2
  CHECKS -DEXIT=2 -DSTDOUT=${CLI_GOLDEN}/empty.txt
    "-DSTDERR_MATCH=^stepsim: power-tune: --input or --input-file is required"
  COMMAND power-tune ${PT_EXAMPLE}/function.json)

stepsim_cli_test(power_tune_failing_function_exits_1
  CHECKS -DEXIT=1 -DSTDOUT=${CLI_GOLDEN}/empty.txt
    "-DSTDERR_MATCH=^stepsim: power-tune: the tuning failed: Error: Invocation error \\(running in series\\): Lambda.Unknown"
  COMMAND power-tune tests/cli/data/slow-function.json --input [[{"lambdaARN": "F", "num": 5, "powerValues": [128]}]])
