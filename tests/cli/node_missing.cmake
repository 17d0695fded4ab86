# cli.serve_js_sdk when CMake found no `node`: fails where STEPSIM_REQUIRE_JS_SDK is set (.ci/run), skips elsewhere.
if(DEFINED ENV{STEPSIM_REQUIRE_JS_SDK})
  message(FATAL_ERROR "FAIL: node is not installed; the AWS SDK for JavaScript test needs node >= 18 and npm")
endif()
message("SKIP: node is not installed; the AWS SDK for JavaScript test needs node >= 18 and npm")
