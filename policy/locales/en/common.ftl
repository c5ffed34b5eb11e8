# Texts shown outside the upload checks: eligibility statements and the naming rule.

eligibility-member-state-national = I am a national of a NATO member country.
eligibility-security-clearance = I hold a valid NATO personnel security clearance, or a valid personnel security clearance at the appropriate level issued by my national security authority.
eligibility-no-generative-ai = I have not used generative artificial-intelligence tools (such as ChatGPT) to prepare any part of this application, including this document.

filename-rule-both = Name your file so that it contains the vacancy reference { $reference } and the words “{ $phrase }”, for example “{ $example }”. Capital letters do not matter, and spaces, underscores (_), hyphens (-) and full stops (.) all count as separators. The reference must stand on its own, not run into other digits, and the words must appear together, in that order.
filename-rule-reference = Name your file so that it contains the vacancy reference { $reference }, for example “{ $example }”. Spaces, underscores (_), hyphens (-) and full stops (.) all count as separators, and the reference must stand on its own, not run into other digits.
filename-rule-phrase = Name your file so that it contains the words “{ $phrase }”, for example “{ $example }”. Capital letters do not matter, and spaces, underscores (_), hyphens (-) and full stops (.) all count as separators; the words must appear together, in that order.
filename-rule-none = Any file name is accepted, provided it has no control characters and is at most 255 bytes long.
