// hash_lengths.vh - digest size of each XCE_HASH_* code, for the modules
// that need it (included inside a module body).
function automatic [31:0] hash_digest_bytes(input [3:0] code);
    case (code)
        `XCE_HASH_MD5:    hash_digest_bytes = 32'd16;
        `XCE_HASH_SHA1:   hash_digest_bytes = 32'd20;
        `XCE_HASH_SHA224: hash_digest_bytes = 32'd28;
        `XCE_HASH_SHA256: hash_digest_bytes = 32'd32;
        `XCE_HASH_SHA384: hash_digest_bytes = 32'd48;
        default:          hash_digest_bytes = 32'd64;
    endcase
endfunction
