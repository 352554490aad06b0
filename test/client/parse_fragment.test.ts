import { parseFragment } from "../../controllers/dom/parse_fragment.js";

describe("parseFragment", () => {
  it("keeps table rows that a div would drop", () => {
    document.body.innerHTML = `<table><tbody id="rows"></tbody></table>`;
    const tbody = document.getElementById("rows")!;
    tbody.replaceChildren(parseFragment("<tr><td>1</td></tr><tr><td>2</td></tr>", document));
    expect(tbody.querySelectorAll("tr")).toHaveLength(2);
    expect(tbody.textContent).toBe("12");
  });

  it("keeps list items and style elements", () => {
    const fragment = parseFragment("<style>.x{color:red}</style><li>a</li><li>b</li>", document);
    expect(fragment.querySelector("style")?.textContent).toBe(".x{color:red}");
    expect(fragment.querySelectorAll("li")).toHaveLength(2);
  });

  it("returns an empty fragment for an empty string", () => {
    expect(parseFragment("", document).childNodes).toHaveLength(0);
  });
});
