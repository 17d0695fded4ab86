# Runs the hidden test "[matcher-failure-demo]" and checks that Catch2's report
# of the failing CHECK_THAT shows the execution result, not {?}.
execute_process(COMMAND ${PROGRAM} "[matcher-failure-demo]" --use-colour no
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "the failing demo test passed:\n${out}")
endif()
set(expected [=[
  CHECK_THAT( r, succeeded() )
with expansion:
  {status: FAILED, error: "Payment.Declined", cause: "card expired", path: [A,
  B]} succeeded
]=])
string(FIND "${out}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "Catch2's output lacks the expected text.\nExpected:\n${expected}\nGot:\n${out}")
endif()
