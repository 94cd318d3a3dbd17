// Comments and account state: see cupure/comments (filled in by the comments work).
