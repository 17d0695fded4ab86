# docs/testing.md's complete test file, compiled and run from the page's own
# text (included by tests/CMakeLists.txt). The page shows
# examples/catch2-tests/order_test.cpp; a second test checks that the two are
# the same text, so the example project (built by consumer.catch2_example)
# runs what the page shows.
set(STEPSIM_TESTING_DOC ${PROJECT_SOURCE_DIR}/docs/testing.md)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${STEPSIM_TESTING_DOC})
file(READ ${STEPSIM_TESTING_DOC} doc_text)
set(code_start "```cpp\n// Tests of order.asl.json")
string(FIND "${doc_text}" "${code_start}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "docs/testing.md: no code block starting with '// Tests of order.asl.json'")
endif()
math(EXPR at "${at} + 7")
string(SUBSTRING "${doc_text}" ${at} -1 doc_rest)
string(FIND "${doc_rest}" "\n```" code_end)
math(EXPR code_end "${code_end} + 1")
string(SUBSTRING "${doc_rest}" 0 ${code_end} doc_code)
# Written only when it changed, so a reconfigure does not rebuild it.
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/docs_testing_md.cpp CONTENT "${doc_code}" @ONLY)

add_executable(stepsim_docs_testing ${CMAKE_CURRENT_BINARY_DIR}/docs_testing_md.cpp)
target_link_libraries(stepsim_docs_testing PRIVATE stepsim::stepsim Catch2::Catch2)
target_compile_definitions(stepsim_docs_testing PRIVATE ORDER_TESTS_DIR="${PROJECT_SOURCE_DIR}/examples/catch2-tests")
add_test(NAME docs.testing_md COMMAND stepsim_docs_testing)
add_test(NAME docs.testing_md_shows_the_example
  COMMAND ${CMAKE_COMMAND} -E compare_files ${CMAKE_CURRENT_BINARY_DIR}/docs_testing_md.cpp
    ${PROJECT_SOURCE_DIR}/examples/catch2-tests/order_test.cpp)
