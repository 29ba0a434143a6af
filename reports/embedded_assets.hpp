#pragma once
// Files embedded into the faultline binary at build time (reports/embed_assets.cmake generates
// their definitions), so a report is one self-contained file and opening it loads nothing.

#include <string_view>

namespace reports::assets {

/// Apache ECharts' minified browser build, exactly as npm installed it from reports/package-lock.json.
std::string_view echarts_js();
/// The ECharts version of that file, from its package.json.
std::string_view echarts_version();
/// reports/report_page.js: reads the report's data block and draws its charts.
std::string_view report_page_js();
/// reports/report_page.css: the report's style sheet.
std::string_view report_page_css();

}  // namespace reports::assets
