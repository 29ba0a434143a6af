#pragma once
// Escaping for the HTML report: every string that comes from a scenario file (names, ids, targets)
// goes through one of these before it reaches the page.

#include <string>
#include <string_view>

namespace reports {

/// Text for HTML element content and quoted attribute values: & < > " ' become character
/// references, so no markup can start or end inside the value.
std::string html_escape(std::string_view text);

/// Serialised JSON made safe to sit inside <script type="application/json">: '<', '>' and '&'
/// become \u003c, \u003e, \u0026 (no "</script>" or "<!--" can form) and U+2028 / U+2029 become
/// \u2028 / \u2029 (raw, they end a line in older JavaScript parsers). Outside strings JSON has
/// none of these characters, so the document parses to the same value.
std::string json_for_script(std::string_view json_text);

}  // namespace reports
