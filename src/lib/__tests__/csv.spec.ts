import { csvCell } from "../csv"

describe("csvCell", () => {
  it.each([
    [null, ""],
    [undefined, ""],
    [1200, "1200"],
    ["NEF61H8J60", "NEF61H8J60"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=HYPERLINK(\"x\")", '"\'=HYPERLINK(""x"")"'],
    ["+254700", "'+254700"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1+1", "\"'\t=1+1\""],
    ["\r=1+1", "\"'\r=1+1\""],
    ["in\tside", '"in\tside"'],
  ])("%p → %p", (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })
})
