package dev.prefalign.trainer.cli;
public class TrainerCli { public static void main(String[] a) {} }
