import { maskTypedPhone, shownMpesaPhone } from "../shown-phone"

describe("the phone as the shopper typed it, masked", () => {
  it.each([
    ["0712345678", "0712 ••• 678"],
    ["0712 345 678", "0712 ••• 678"],
    ["0712-345-678", "0712 ••• 678"],
    ["0112345678", "0112 ••• 678"],
    ["+254712345678", "+254 712 ••• 678"],
    ["+254 712 345 678", "+254 712 ••• 678"],
    ["254712345678", "254 712 ••• 678"],
    ["712345678", "712 ••• 678"],
    ["0712 34", undefined],
    ["0812345678", undefined],
    ["+255712345678", undefined],
    ["", undefined],
  ])("%p reads %p", (typed, shown) => {
    expect(maskTypedPhone(typed)).toBe(shown)
  })
})

describe("the number the waiting screen names", () => {
  it.each([
    ["typed locally, the number the store sent to", "0712 345 678", "2547******78", "0712 ••• 678"],
    ["typed internationally", "+254712345678", "2547******78", "+254 712 ••• 678"],
    ["typed, before the store answered", "0712345678", undefined, "0712 ••• 678"],
    ["a 01… number", "0112345678", "2541******78", "0112 ••• 678"],
    // A second press followed the live prompt for another number: that number, not the one typed.
    ["typed, but the prompt followed went elsewhere", "0799 000 111", "2547******78", "07•• ••• •78"],
    ["after a reload (nothing typed)", undefined, "2547******78", "07•• ••• •78"],
    ["after a reload, a 01… number", undefined, "2541******45", "01•• ••• •45"],
    ["nothing typed, nothing stored", undefined, undefined, undefined],
    ["a stored form this does not know, as is", undefined, "07******78", "07******78"],
  ])("%s: typed %p, stored %p → %p", (_what, typed, stored, shown) => {
    expect(shownMpesaPhone(typed, stored)).toBe(shown)
  })
})
