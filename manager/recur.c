/* placeholder until written */ typedef int recur_placeholder;
